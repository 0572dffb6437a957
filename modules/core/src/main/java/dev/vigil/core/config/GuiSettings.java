package dev.vigil.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The web GUI server ({@code lkGUIserver}): the address and port it serves the GUI and the REST
 * API on, the file of its users ({@code lkpasswd}) and how long an idle session lasts.
 */
public record GuiSettings(int port, String bind, Path usersFile, Duration sessionTimeout) {

    /** The address operators type: {@code http://HOST/} on port 80, else {@code http://HOST:PORT/}. */
    public String url(String host) {
        return "http://" + host + (port == 80 ? "" : ":" + port) + "/";
    }
}
