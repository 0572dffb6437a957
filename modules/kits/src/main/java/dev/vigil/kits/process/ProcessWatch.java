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
import java.util.concurrent.TimeUnit;

/**
 * Notices within {@link #POLL} that a process this JVM did not start has ended — the postmaster
 * that {@code pg_ctl} started and left — so the daemon can check its resource at once instead
 * of at the next check interval. The JDK's {@code ProcessHandle.onExit} is no use here: for a
 * process that is not our child it polls every 300 ms and more, and it takes a zombie for alive.
 * One shared daemon thread reads {@code /proc/PID/stat} of every watched process; a process has
 * ended when its entry is gone, it is a zombie, or the PID now belongs to a process with another
 * start time. It reads this JVM's {@code /proc}, so it only watches processes of this JVM's PID
 * namespace: {@link #watch} refuses a PID that is not the expected program here.
 */
public final class ProcessWatch {
    /** How often every watched process is looked at. */
    public static final Duration POLL = Duration.ofMillis(50);

    private record Watched(long pid, String startTime, String label, CompletableFuture<String> ended) {
    }

    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService POLLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-process-watch");
        t.setDaemon(true);
        return t;
    });

    static {
        POLLER.scheduleWithFixedDelay(ProcessWatch::pollAll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

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
        WATCHED.add(new Watched(pid, startTime(stat.get()), label, ended));
        return Optional.of(ended);
    }

    private static void pollAll() {
        for (Watched w : WATCHED) {
            if (w.ended().isDone()) {
                WATCHED.remove(w);
                continue;
            }
            Optional<String[]> stat = stat(w.pid());
            String why = stat.isEmpty() ? " ended"
                    : isZombie(stat.get()) ? " ended (a zombie now)"
                    : !startTime(stat.get()).equals(w.startTime()) ? " ended (its PID belongs to another process now)"
                    : null;
            if (why != null) {
                WATCHED.remove(w);
                w.ended().complete(w.label() + why);
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
