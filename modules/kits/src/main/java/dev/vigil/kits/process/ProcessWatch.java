package dev.vigil.kits.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices at once that a process this JVM did not start has ended — the postmaster that
 * {@code pg_ctl} started and left — so the daemon can check its resource at once instead of at
 * the next check interval. The JDK's {@code ProcessHandle.onExit} is no use here: for a process
 * that is not our child it polls every 300 ms and more, and it takes a zombie for alive.
 *
 * <p>Without waking up while the process runs: a small helper ({@link #PIDFD_HELPER}, run by
 * {@code perl}, which every Debian system has) opens a pidfd of the process (Linux ≥ 5.3) and
 * blocks in {@code select} on it and on its standard input, exiting the moment the process ends
 * (or this JVM does: its standard input closes). This JVM waits for the helper as for any child
 * (the JDK's reaper thread blocks in {@code waitpid}), then confirms the end in {@code /proc}.
 *
 * <p>Where the helper cannot run (no perl, no pidfd), and when it ends without the process
 * having ended, one shared daemon thread polls instead every {@link #POLL}: it reads
 * {@code /proc/PID/stat} of every such process; a process has ended when its entry is gone, it
 * is a zombie, or the PID now belongs to a process with another start time. That thread only
 * wakes while something is polled. Both read this JVM's {@code /proc}, so only processes of this
 * JVM's PID namespace are watched: {@link #watch} refuses a PID that is not the expected program
 * here.
 */
public final class ProcessWatch {
    /** How often a process is looked at when the pidfd helper cannot watch it. */
    public static final Duration POLL = Duration.ofMillis(50);
    /**
     * The helper's program (perl): {@code pidfd_open} (syscall 434 on every architecture) of the
     * PID given as argument, "watching" on standard output once open, then waits for the process
     * to end (exit 0) or for standard input to close (exit 4); exit 3 when no pidfd can be opened.
     */
    static final String PIDFD_HELPER = "$|=1; my $fd = syscall(434, $ARGV[0] + 0, 0); exit 3 if $fd < 0;"
            + " print \"watching\\n\"; my $in = ''; vec($in, $fd, 1) = 1; vec($in, fileno(STDIN), 1) = 1;"
            + " select(my $out = $in, undef, undef, undef); exit(vec($out, $fd, 1) ? 0 : 4);";
    /** How long the helper may take to start and open the pidfd before the watch polls instead. */
    private static final Duration HELPER_START = Duration.ofSeconds(3);
    private static volatile boolean helperUsable = true;

    private record Watched(long pid, String startTime, String label, CompletableFuture<String> ended) {
    }

    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-process-watch");
        t.setDaemon(true);
        return t;
    });

    /** The polling while anything is watched; null while nothing is. Guarded by the class. */
    private static ScheduledFuture<?> polling;

    private ProcessWatch() {
    }

    /**
     * Watches {@code pid}, which the caller has just seen running {@code command}: the future
     * completes with "{@code label} ended" (and why) when it ends — at once if it already has;
     * cancelling it ends the watch. Empty when the PID is alive here but not {@code command}
     * ({@code /proc/PID/comm}): a process of another PID namespace, which this JVM cannot watch.
     */
    public static Optional<CompletableFuture<String>> watch(long pid, String command, String label) {
        Optional<String[]> stat = stat(pid);
        if (stat.isEmpty() || isZombie(stat.get())) {
            return Optional.of(CompletableFuture.completedFuture(label + " ended"));
        }
        if (!command.equals(comm(pid))) {
            return Optional.empty();
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        Watched w = new Watched(pid, startTime(stat.get()), label, ended);
        if (!helperUsable || !watchWithHelper(w)) {
            poll(w);
        }
        return Optional.of(ended);
    }

    /** Whether the pidfd helper watches (true) or this JVM polls (false) for a new watch now. */
    public static boolean usesPidfd() {
        return helperUsable;
    }

    private static void poll(Watched w) {
        synchronized (ProcessWatch.class) {
            WATCHED.add(w);
            if (polling == null) {
                polling = POLLER.scheduleWithFixedDelay(ProcessWatch::pollAll, POLL.toMillis(), POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Starts the helper for {@code w}; false when it cannot watch (then the caller polls). Once
     * the helper has its pidfd, the start time is read again: a PID that died and was reused
     * before the pidfd was opened is noticed here, as the pidfd would name the newcomer.
     */
    private static boolean watchWithHelper(Watched w) {
        Process helper;
        try {
            helper = new ProcessBuilder("perl", "-e", PIDFD_HELPER, Long.toString(w.pid()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noPerl) {
            helperUsable = false;
            return false;
        }
        ScheduledFuture<?> watchdog = POLLER.schedule(helper::destroyForcibly, HELPER_START.toMillis(),
                TimeUnit.MILLISECONDS);
        String answer;
        try {
            byte[] line = new byte[9];
            int n = helper.getInputStream().readNBytes(line, 0, line.length);
            answer = new String(line, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            answer = "";
        } finally {
            watchdog.cancel(false);
        }
        if (!answer.equals("watching\n")) {
            helper.destroyForcibly();
            try {
                if (helper.waitFor(1, TimeUnit.SECONDS) && helper.exitValue() == 3) {
                    helperUsable = false; // no pidfd on this kernel: do not try again
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        String endedMeanwhile = endedBecause(w);
        if (endedMeanwhile != null) {
            helper.destroyForcibly();
            w.ended().complete(w.label() + endedMeanwhile);
            return true;
        }
        w.ended().whenComplete((why, cancelled) -> {
            if (cancelled != null) {
                helper.destroyForcibly();
            }
        });
        helper.onExit().thenRun(() -> {
            if (w.ended().isDone()) {
                return;
            }
            String why = endedBecause(w);
            if (why != null) {
                w.ended().complete(w.label() + why);
            } else {
                poll(w); // the helper ended (killed?) while the process runs: watch it the slow way
            }
        });
        return true;
    }

    /** Why {@code w}'s process has ended, or null while it runs. */
    private static String endedBecause(Watched w) {
        Optional<String[]> stat = stat(w.pid());
        return stat.isEmpty() ? " ended"
                : isZombie(stat.get()) ? " ended (a zombie now)"
                : !startTime(stat.get()).equals(w.startTime()) ? " ended (its PID belongs to another process now)"
                : null;
    }

    /** How many processes are watched now (for tests). */
    static int watched() {
        return WATCHED.size();
    }

    /** Whether the polling thread is scheduled now (for tests: it stops when nothing is watched). */
    static synchronized boolean polling() {
        return polling != null;
    }

    private static void pollAll() {
        for (Watched w : WATCHED) {
            if (w.ended().isDone()) {
                WATCHED.remove(w);
                continue;
            }
            String why = endedBecause(w);
            if (why != null) {
                WATCHED.remove(w);
                w.ended().complete(w.label() + why);
            }
        }
        synchronized (ProcessWatch.class) {
            if (WATCHED.isEmpty() && polling != null) {
                polling.cancel(false);
                polling = null;
            }
        }
    }

    /** The fields of /proc/PID/stat after the command name: [0] state, [19] start time. */
    private static Optional<String[]> stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(s.substring(s.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isZombie(String[] fields) {
        return fields[0].equals("Z") || fields[0].equals("X");
    }

    private static String startTime(String[] fields) {
        return fields.length > 19 ? fields[19] : "";
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
