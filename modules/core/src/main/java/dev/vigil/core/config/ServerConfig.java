package dev.vigil.core.config;

/** One server of the cluster and the address of its primary comm path (the Pekko cluster endpoint). */
public record ServerConfig(String name, String host, int port) {

    /** The port comm paths use when none is given, as the original's LCM (TCP 7365). */
    public static final int DEFAULT_PORT = 7365;

    /** {@code host} alone at the default port, {@code host:port} otherwise: how status shows it. */
    public String displayAddress() {
        return port == DEFAULT_PORT ? host : host + ":" + port;
    }
}
