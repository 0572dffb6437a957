package dev.vigil.core.config.spec;

import java.util.regex.Pattern;

/** Syntax checks for network addresses written in the configuration. */
public final class Addresses {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private Addresses() {
    }

    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    /** An IPv4 address or a DNS host name. */
    public static boolean isHost(String s) {
        return isIpv4(s) || (HOSTNAME.matcher(s).matches() && !s.matches("[0-9.]+"));
    }
}
