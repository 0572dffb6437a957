package dev.vigil.guard.fence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process as /proc/&lt;pid&gt;/stat describes it. The start time (clock ticks since boot) makes
 * a PID plus start time a unique process identity: a PID reused by an unrelated process has a
 * different start time, so the guard never kills it by mistake.
 */
public record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session, long startTicks) {

    private static final Path PROC = Path.of("/proc");

    public static Optional<ProcStat> read(long pid) {
        try {
            return parse(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static Optional<ProcStat> self() {
        return read(ProcessHandle.current().pid());
    }

    /** Every process visible in this PID namespace. */
    public static List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                read(Long.parseLong(dir.getFileName().toString())).ifPresent(out::add);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    static Optional<ProcStat> parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        long pid = Long.parseLong(stat.substring(0, open).trim());
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 20) {
            return Optional.empty();
        }
        return Optional.of(new ProcStat(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Long.parseLong(f[19])));
    }

    static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when the process with this identity no longer runs (exited, a zombie, or the PID was reused). */
    public boolean gone() {
        Optional<ProcStat> now = read(pid);
        return now.isEmpty() || now.get().startTicks != startTicks || now.get().state == 'Z'
                || now.get().state == 'X';
    }

    /** {@code postmaster pid 1234}, or the command name when no label is known. */
    public String describe(String label) {
        return (label == null || label.isEmpty() ? comm : label) + " pid " + pid;
    }
}
