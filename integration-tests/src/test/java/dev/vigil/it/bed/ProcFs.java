package dev.vigil.it.bed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the bed reads about processes, addresses and mounts straight from the host's /proc, without
 * starting a program: the watcher samples every server every 50 ms, and a fork per question would
 * load the 2-core machine it measures. A process that ends while it is read reads as empty.
 */
final class ProcFs {
    private ProcFs() {
    }

    /** Every PID on the host. */
    static Stream<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
                    out.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream();
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** The postmasters on the host (host PIDs): postgres processes whose parent is not one. */
    static List<Long> postmasters() {
        return pids().filter(p -> comm(p).equals("postgres")).filter(p -> !comm(ppid(p)).equals("postgres")).toList();
    }

    /** The process's command name (/proc/PID/comm), "" when it is gone. */
    static String comm(long pid) {
        return read("/proc/" + pid + "/comm").strip();
    }

    /** The parent's PID, -1 when the process is gone. */
    static long ppid(long pid) {
        return statField(pid, 1);
    }

    /** Fields 14 and 15 of /proc/PID/stat: user + system CPU time in clock ticks (1/100 s). */
    static long cpuTicks(long pid) {
        long user = statField(pid, 11);
        return user < 0 ? -1 : user + statField(pid, 12);
    }

    /** CPU ticks of the waited-for children of {@code pid} (cutime + cstime): the checks' processes. */
    static long childTicks(long pid) {
        long user = statField(pid, 13);
        return user < 0 ? -1 : user + statField(pid, 14);
    }

    /** Field {@code index} of /proc/PID/stat counted after the command name (0: the state), -1 when gone. */
    private static long statField(long pid, int index) {
        String stat = read("/proc/" + pid + "/stat");
        int close = stat.lastIndexOf(')');
        return close < 0 ? -1 : Long.parseLong(stat.substring(close + 2).split(" ")[index]);
    }

    /** Resident memory in KiB (VmRSS), -1 when the process is gone. */
    static long rssKib(long pid) {
        return read("/proc/" + pid + "/status").lines().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }

    /** The PID the process has inside its own (innermost) PID namespace, -1 when it is gone. */
    static long nsPid(long pid) {
        return read("/proc/" + pid + "/status").lines().filter(l -> l.startsWith("NSpid:"))
                .map(l -> l.trim().split("\\s+")).map(f -> Long.parseLong(f[f.length - 1])).findFirst().orElse(-1L);
    }

    /** The process's PID namespace ("pid:[4026532…]"), "" when it is gone. */
    static String pidNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** The local IPv4 addresses of the process's network namespace (from its fib_trie: "/32 host LOCAL"). */
    static Set<String> localAddresses(long pid) {
        Set<String> out = new HashSet<>();
        String last = null;
        for (String line : read("/proc/" + pid + "/net/fib_trie").split("\n")) {
            String t = line.trim();
            if (t.startsWith("|-- ")) {
                last = t.substring(4);
            } else if (last != null && t.startsWith("/32 host LOCAL")) {
                out.add(last);
            }
        }
        return out;
    }

    /** The mount points of the process's mount namespace. */
    static Set<String> mountPoints(long pid) {
        Set<String> out = new HashSet<>();
        for (String line : read("/proc/" + pid + "/mountinfo").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                out.add(f[4]);
            }
        }
        return out;
    }
}
