package dev.vigil.core.config;

import dev.vigil.core.config.spec.Addresses;
import java.util.List;

/**
 * Where the daemon sends its SNMP traps (the original's LK_TRAP_MGR, set by {@code lk_configsnmp}):
 * every destination gets every trap, with {@code community}, as SNMP {@code version}. No
 * destination: no trap is sent.
 */
public record SnmpSettings(List<Destination> destinations, String community, Version version) {

    /** The default trap port of an SNMP manager. */
    public static final int TRAP_PORT = 162;

    /** SNMP protocol version of the traps: v2c (the default) or v1 for older managers. */
    public enum Version {
        V1, V2C
    }

    public SnmpSettings {
        destinations = List.copyOf(destinations);
    }

    /** One trap receiver: an IPv4 address or host name and a UDP port. */
    public record Destination(String host, int port) {
        @Override
        public String toString() {
            return port == TRAP_PORT ? host : host + ":" + port;
        }

        /**
         * {@code host} or {@code host:port} as an operator writes it.
         *
         * @throws IllegalArgumentException with the reason, for anything else
         */
        public static Destination parse(String text) {
            String host = text;
            int port = TRAP_PORT;
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                host = text.substring(0, colon);
                String p = text.substring(colon + 1);
                if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                    throw new IllegalArgumentException("'" + text + "': the port after ':' must be 1 to 65535");
                }
                port = Integer.parseInt(p);
            }
            if (!Addresses.isHost(host)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address or host name"
                        + " (optionally followed by :port)");
            }
            return new Destination(host, port);
        }
    }
}
