package dev.vigil.core.config;

import java.nio.file.Path;

/**
 * The local admin API the commands use: HTTP on 127.0.0.1 only, at {@code port}, guarded by a
 * random token the daemon writes to {@code tokenFile} readable by root only.
 */
public record AdminSettings(int port, Path tokenFile) {
}
