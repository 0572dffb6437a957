package dev.vigil.guard.fence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Mount points as this process's mount namespace sees them, and the processes that use one (the
 * holders that would make an unmount fail: open files, working or root directory, executable).
 * Only processes in the guard's own mount namespace count: the same path in another server's
 * namespace is another server's filesystem.
 */
public final class Mounts {

    private Mounts() {
    }

    public static boolean isMounted(String mountPoint) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(mountPoint)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    static List<ProcStat> holders(String mountPoint) {
        List<ProcStat> out = new ArrayList<>();
        Optional<Path> ownNs = link(Path.of("/proc/self/ns/mnt"));
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> ProcStat.isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self || pid == 1 || !link(dir.resolve("ns/mnt")).equals(ownNs)) {
                    continue;
                }
                if (uses(dir, mountPoint)) {
                    ProcStat.read(pid).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean uses(Path procDir, String mountPoint) {
        for (String l : List.of("cwd", "root", "exe")) {
            if (under(link(procDir.resolve(l)), mountPoint)) {
                return true;
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(procDir.resolve("fd"))) {
            for (Path fd : fds) {
                if (under(link(fd), mountPoint)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean under(Optional<Path> p, String mountPoint) {
        if (p.isEmpty()) {
            return false;
        }
        String s = p.get().toString();
        return s.equals(mountPoint) || s.startsWith(mountPoint + "/") || s.equals(mountPoint + " (deleted)");
    }

    private static Optional<Path> link(Path p) {
        try {
            return Optional.of(Files.readSymbolicLink(p));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
