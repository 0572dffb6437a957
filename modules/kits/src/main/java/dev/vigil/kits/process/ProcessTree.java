package dev.vigil.kits.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kills a command together with everything it started. The runner starts every command as the
 * leader of a new session ({@code setsid}), so its whole tree is "the processes in that session or
 * process group, plus descendants that left it" — found from {@code /proc}, killed with SIGKILL,
 * repeated until none is left (a process forked during a round is caught by the next one).
 * A process that daemonised into a new session AND was re-parented before the kill escapes; the
 * kit documentation says so.
 */
final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 20;

    private ProcessTree() {
    }

    /** SIGKILLs the tree rooted at {@code rootPid} (a session leader); returns the PIDs it signalled. */
    static Set<Long> kill(long rootPid) {
        Set<Long> killed = new LinkedHashSet<>();
        long self = ProcessHandle.current().pid();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<Long> members = members(rootPid, self);
            if (members.isEmpty()) {
                break;
            }
            for (long pid : members) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            killed.addAll(members);
            sleep(10);
        }
        return killed;
    }

    /** Live (non-zombie) processes of the tree: same session or group as the root, or its descendants. */
    static Set<Long> members(long rootPid, long exclude) {
        Map<Long, Stat> table = snapshot();
        Set<Long> result = new LinkedHashSet<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(rootPid);
        for (Stat s : table.values()) {
            if (s.session == rootPid || s.group == rootPid) {
                todo.add(s.pid);
            }
        }
        Map<Long, List<Long>> children = new HashMap<>();
        for (Stat s : table.values()) {
            children.computeIfAbsent(s.parent, k -> new java.util.ArrayList<>()).add(s.pid);
        }
        Set<Long> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            if (!seen.add(pid)) {
                continue;
            }
            Stat s = table.get(pid);
            if (s != null && s.state != 'Z' && pid != exclude) {
                result.add(pid);
            }
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return result;
    }

    private record Stat(long pid, char state, long parent, long group, long session) {
    }

    private static Map<Long, Stat> snapshot() {
        Map<Long, Stat> table = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                Stat s = read(dir);
                if (s != null) {
                    table.put(s.pid, s);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return table;
    }

    /** Parses "pid (comm) state ppid pgrp session ..."; comm may contain spaces and parentheses. */
    private static Stat read(Path dir) {
        String line;
        try {
            line = Files.readString(dir.resolve("stat"));
        } catch (IOException e) {
            return null; // exited while we looked
        }
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = line.substring(close + 2).trim().split(" ");
        return new Stat(Long.parseLong(dir.getFileName().toString()), f[0].charAt(0),
                Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
