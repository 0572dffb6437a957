package dev.vigil.kits.filesystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts a process sees, parsed from {@code /proc/self/mountinfo} (read through
 * {@code HostFiles}, so a kit acting inside another mount namespace sees that namespace's mounts).
 */
final class MountTable {

    /** One mountinfo line: the device number, where it is mounted, its type, source and options. */
    record Mount(String majorMinor, String mountPoint, String fsType, String source, List<String> options) {
        boolean readOnly() {
            return options.contains("ro");
        }
    }

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
    }

    /**
     * Fields: id parent major:minor root mount-point options [optional fields...] - fstype source
     * super-options; paths escape space, tab, newline and backslash as octal.
     */
    static MountTable parse(String mountinfo) {
        List<Mount> result = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            result.add(new Mount(f[2], unescape(f[4]), f[dash + 1], unescape(f[dash + 2]), List.of(f[5].split(","))));
        }
        return new MountTable(result);
    }

    /** What is visible at {@code mountPoint}: the last (topmost) mount there. */
    Optional<Mount> at(String mountPoint) {
        String wanted = normalise(mountPoint);
        Mount top = null;
        for (Mount m : mounts) {
            if (m.mountPoint().equals(wanted)) {
                top = m;
            }
        }
        return Optional.ofNullable(top);
    }

    private static String normalise(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
