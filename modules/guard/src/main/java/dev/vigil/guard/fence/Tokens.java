package dev.vigil.guard.fence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Space-separated tokens of the guard protocol. A token may contain anything: '%', whitespace and
 * control characters are written as %XX, so a mount point with a space stays one token and no
 * value can start a new protocol line.
 */
public final class Tokens {
    private Tokens() {
    }

    public static String escape(String s) {
        if (plain(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == '%' || c <= ' ' || c >= 0x7f) {
                b.append(String.format("%%%02X", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Decodes one token; a malformed escape is an error the caller reports to the client. */
    public static String unescape(String token) {
        if (token.indexOf('%') < 0) {
            return token;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '%') {
                if (i + 2 >= token.length()) {
                    throw new IllegalArgumentException("bad escape in \"" + token + "\"");
                }
                int hi = Character.digit(token.charAt(i + 1), 16);
                int lo = Character.digit(token.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in \"" + token + "\"");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Splits a line into decoded tokens. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        String trimmed = line.trim();
        int start = 0;
        while (start < trimmed.length()) {
            int end = trimmed.indexOf(' ', start);
            if (end < 0) {
                end = trimmed.length();
            }
            if (end > start) {
                out.add(unescape(trimmed.substring(start, end)));
            }
            start = end + 1;
        }
        return out;
    }

    /** Nothing in {@code s} needs an escape (the common case: names, numbers, paths). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    public static String join(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            out.add(escape(String.valueOf(p)));
        }
        return String.join(" ", out);
    }
}
