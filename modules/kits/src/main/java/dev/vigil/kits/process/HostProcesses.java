package dev.vigil.kits.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and stops processes on the host the runner acts on (its namespaces, its PIDs): the
 * holders of a mount the filesystem kit must unmount, the orphaned backends of a crashed
 * postmaster. Shared so both kits stop processes the same way: SIGTERM, a grace period, SIGKILL.
 * Uses {@code fuser} (Debian package psmisc), the shell's {@code kill} and {@code /proc/PID/stat}.
 */
public final class HostProcesses {
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    private final CommandRunner runner;

    public HostProcesses(CommandRunner runner) {
        this.runner = runner;
    }

    /** The PIDs found, or why they could not be looked up. */
    public record Lookup(List<Long> pids, Optional<String> error) {
        static Lookup of(List<Long> pids) {
            return new Lookup(List.copyOf(pids), Optional.empty());
        }

        static Lookup failed(String error) {
            return new Lookup(List.of(), Optional.of(error));
        }
    }

    /** Processes using any file of the filesystem mounted at {@code mountPoint} ({@code fuser -m}). */
    public Lookup usersOfMount(String mountPoint, Deadline deadline) {
        return fuser(List.of("fuser", "-m", mountPoint), deadline);
    }

    /** Processes using {@code path} itself: as working directory, root, open file or mapping ({@code fuser}). */
    public Lookup usersOf(String path, Deadline deadline) {
        return fuser(List.of("fuser", path), deadline);
    }

    private Lookup fuser(List<String> argv, Deadline deadline) {
        CommandResult r = runner.run(Command.of(deadline.cap(STEP), argv));
        if (r.programMissing()) {
            return Lookup.failed("fuser is not installed (Debian package psmisc): " + r.describe());
        }
        if (r.timedOut() || (r.exitCode() != 0 && r.exitCode() != 1) || r.stderr().contains("does not exist")) {
            return Lookup.failed(r.describe());
        }
        List<Long> pids = new ArrayList<>();
        for (String word : r.stdout().trim().split("\\s+")) {
            String digits = word.replaceAll("\\D", "");
            if (!digits.isEmpty()) {
                pids.add(Long.parseLong(digits));
            }
        }
        return Lookup.of(pids);
    }

    /**
     * The processes among {@code pids} that still run, with their command names; zombies count as
     * gone. Empty when the lookup itself failed (timed out, /proc unreadable): "cannot tell" must
     * never be mistaken for "not running".
     */
    public Optional<Map<Long, String>> alive(Collection<Long> pids, Deadline deadline) {
        Map<Long, String> result = new LinkedHashMap<>();
        if (pids.isEmpty()) {
            return Optional.of(result);
        }
        List<String> argv = new ArrayList<>(List.of("cat"));
        pids.forEach(p -> argv.add("/proc/" + p + "/stat"));
        CommandResult r = runner.run(Command.of(deadline.cap(STEP), argv));
        boolean onlyMissing = r.stderr().lines().allMatch(l -> l.contains("No such file or directory"));
        if (r.timedOut() || (r.exitCode() != 0 && !onlyMissing)) {
            return Optional.empty();
        }
        for (String line : r.stdout().split("\n")) {
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open || close + 2 >= line.length()) {
                continue;
            }
            char state = line.charAt(close + 2);
            if (state != 'Z' && state != 'X') {
                result.put(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close));
            }
        }
        return Optional.of(result);
    }

    /** Sends {@code signal} (e.g. TERM, KILL) to every PID; a PID that is already gone is not an error. */
    public void signal(Collection<Long> pids, String signal, Deadline deadline) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "kill -s " + signal + " \"$@\" 2>/dev/null; exit 0", "kill"));
        pids.forEach(p -> argv.add(Long.toString(p)));
        runner.run(Command.of(deadline.cap(STEP), argv));
    }

    /**
     * Waits until none of {@code pids} runs or {@code wait} has passed; returns those still
     * running (or not known to be gone).
     */
    public Map<Long, String> awaitGone(Collection<Long> pids, Duration wait, Deadline deadline) {
        Deadline until = Deadline.after(deadline.cap(wait));
        Map<Long, String> left = new LinkedHashMap<>();
        pids.forEach(p -> left.put(p, "?"));
        while (true) {
            alive(left.keySet(), deadline).ifPresent(now -> {
                left.keySet().retainAll(now.keySet());
                left.putAll(now);
            });
            if (left.isEmpty() || until.expired()) {
                return left;
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Stops the processes: SIGTERM, up to {@code grace} for them to exit, then SIGKILL and up to
     * {@code grace} again. Returns those still running after that (stuck in the kernel).
     */
    public Map<Long, String> terminate(Collection<Long> pids, Duration grace, Deadline deadline) {
        signal(pids, "TERM", deadline);
        Map<Long, String> left = awaitGone(pids, grace, deadline);
        if (left.isEmpty()) {
            return left;
        }
        signal(left.keySet(), "KILL", deadline);
        return awaitGone(left.keySet(), grace, deadline);
    }

    /** SIGKILL at once and wait up to {@code wait}: for processes whose work is already lost. */
    public Map<Long, String> kill(Collection<Long> pids, Duration wait, Deadline deadline) {
        signal(pids, "KILL", deadline);
        return awaitGone(pids, wait, deadline);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
