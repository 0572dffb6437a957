package dev.vigil.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cluster: its name, its servers in configuration order, and how failures are detected.
 * {@code downAfter} is how long a server must stay unreachable before the survivors remove it
 * from the membership (after which it can rejoin only by restarting).
 */
public record ClusterSettings(String name, List<ServerConfig> servers, FailureDetectorSettings failureDetector,
                              Duration downAfter) {

    public Optional<ServerConfig> server(String serverName) {
        return servers.stream().filter(s -> s.name().equals(serverName)).findFirst();
    }
}
