package dev.vigil.gui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment (tags contain '/': {@code fs-/share} → {@code fs-%2Fshare}). */
final class PathSegment {
    private PathSegment() {
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
