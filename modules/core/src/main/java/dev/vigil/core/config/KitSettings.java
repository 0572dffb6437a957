package dev.vigil.core.config;

import java.util.List;

/**
 * Settings shared by every recovery kit ({@code vigil.kits}): the arguments put in front of every
 * command a kit runs — empty on a real server; on a test bed e.g. {@code ["ip", "netns", "exec",
 * "n1"]} so that the kits act inside another namespace.
 */
public record KitSettings(List<String> commandPrefix) {
    public KitSettings {
        commandPrefix = List.copyOf(commandPrefix);
    }
}
