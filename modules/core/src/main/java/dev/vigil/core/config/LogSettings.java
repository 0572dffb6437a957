package dev.vigil.core.config;

import java.nio.file.Path;

/** Where the seven logs go and how big each may grow: {@code maxFiles} files of {@code maxFileSize} each. */
public record LogSettings(Path dir, long maxFileSize, int maxFiles) {
}
