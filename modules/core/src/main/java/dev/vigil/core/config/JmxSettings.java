package dev.vigil.core.config;

/**
 * Remote JMX access to the daemon's MBeans: off unless {@code enabled}; when on, an RMI connector
 * on 127.0.0.1:{@code port} only (registry and connector share the port).
 */
public record JmxSettings(boolean enabled, int port) {
}
