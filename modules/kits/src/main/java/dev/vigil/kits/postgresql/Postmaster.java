package dev.vigil.kits.postgresql;

import dev.vigil.core.LogType;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.HostProcesses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance as the host shows it: {@code postmaster.pid}, the postmaster process, orphaned
 * backends of a crashed postmaster, and {@code pg_ctl} run as the instance's OS user. The kit
 * decides; this class looks and acts.
 */
final class Postmaster {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final Duration STEP = Duration.ofSeconds(5);
    /** pg_ctl start gets its own -t this much shorter than our limit, so it reports its timeout itself. */
    private static final Duration PG_CTL_MARGIN = Duration.ofSeconds(2);

    enum State {
        /** No postmaster.pid: cleanly stopped (or the data directory is not there). */
        NO_PID_FILE,
        /** postmaster.pid names a live postgres process. */
        RUNNING,
        /** postmaster.pid is left over: its PID is gone, a zombie or another program, or the file is garbled. */
        STALE,
        /** postmaster.pid exists but cannot be read (I/O error, timeout). */
        UNKNOWN
    }

    /** What {@link #inspect} found. */
    record Instance(State state, Optional<PostmasterPid> pidFile) {
        String describe() {
            return switch (state) {
                case NO_PID_FILE -> "not running (no postmaster.pid)";
                case RUNNING -> "postmaster pid " + pidFile.orElseThrow().pid() + " " + statusWord();
                case STALE -> pidFile.map(p -> "postmaster pid " + p.pid() + " is not running (stale postmaster.pid)")
                        .orElse("postmaster.pid holds no PID (stale)");
                case UNKNOWN -> "cannot tell whether the postmaster runs (postmaster.pid or /proc unreadable)";
            };
        }

        private String statusWord() {
            String s = pidFile.orElseThrow().status();
            return s.isEmpty() ? "is running" : "is " + s;
        }
    }

    private final String tag;
    private final PostgresqlSpec spec;
    private final CommandRunner runner;
    private final HostProcesses processes;
    private final String logFile;

    Postmaster(String tag, PostgresqlSpec spec, CommandRunner runner) {
        this.tag = tag;
        this.spec = spec;
        this.runner = runner;
        this.processes = new HostProcesses(runner);
        this.logFile = spec.logFile().orElse(spec.dataDir().replaceAll("/+$", "") + "/postgresql.log");
    }

    private String pidPath() {
        return spec.dataDir().replaceAll("/+$", "") + "/postmaster.pid";
    }

    Instance inspect(Deadline d) {
        CommandResult cat = runner.run(Command.of(d.cap(STEP), "cat", pidPath()));
        if (!cat.succeeded()) {
            boolean missing = !cat.timedOut() && cat.output().contains("No such file");
            return new Instance(missing ? State.NO_PID_FILE : State.UNKNOWN, Optional.empty());
        }
        Optional<PostmasterPid> pid = PostmasterPid.parse(cat.stdout());
        if (pid.isEmpty()) {
            return new Instance(State.STALE, pid);
        }
        Optional<Map<Long, String>> alive = processes.alive(List.of(pid.get().pid()), d);
        if (alive.isEmpty()) {
            return new Instance(State.UNKNOWN, pid);
        }
        String comm = alive.get().get(pid.get().pid());
        boolean postgres = "postgres".equals(comm) || "postmaster".equals(comm);
        return new Instance(postgres ? State.RUNNING : State.STALE, pid);
    }

    /** Missing OS user, pg_ctl or data directory: the same on every server, so MISCONFIGURED. */
    Optional<ActionResult> preflight(Deadline d) {
        if (!runner.run(Command.of(d.cap(STEP), "id", "-u", spec.osUser())).succeeded()) {
            return misconfigured("OS user " + spec.osUser() + " does not exist on this server");
        }
        if (!runner.run(Command.of(d.cap(STEP), "test", "-x", pgCtl())).succeeded()) {
            return misconfigured("pg_ctl not found or not executable: " + pgCtl() + " (check bin-dir)");
        }
        if (!runner.run(Command.of(d.cap(STEP), "test", "-f", spec.dataDir() + "/PG_VERSION")).succeeded()) {
            return misconfigured(spec.dataDir() + " is not a PostgreSQL data directory (no PG_VERSION): "
                    + "check data-dir and that its filesystem is mounted");
        }
        return Optional.empty();
    }

    private static Optional<ActionResult> misconfigured(String reason) {
        return Optional.of(ActionResult.failed(FailureKind.MISCONFIGURED, reason));
    }

    /**
     * Clears what a crashed postmaster left: SIGKILLs its orphaned backends (their work is lost
     * anyway, and while they hold its shared memory no new postmaster may start) and deletes
     * postmaster.pid unless its PID is a live postgres — a zombie or a re-used PID would make the
     * new postmaster refuse to start.
     */
    void clearLeftovers(Instance instance, Deadline d) {
        Map<Long, String> orphans = orphans(d);
        if (!orphans.isEmpty()) {
            LOG.warn("{}: killing orphaned postgres processes of the crashed postmaster: {}", tag, pids(orphans));
            Map<Long, String> stuck = processes.kill(orphans.keySet(), Duration.ofSeconds(2), d);
            if (!stuck.isEmpty()) {
                LOG.error("{}: orphaned postgres processes do not die: {}", tag, pids(stuck));
            }
        }
        if (instance.state() == State.STALE) {
            LOG.warn("{}: removing stale {} ({})", tag, pidPath(), instance.describe());
            runner.run(Command.of(d.cap(STEP), "rm", "-f", pidPath()));
        }
    }

    /**
     * The postmaster of this data directory found without reading the data directory (for when
     * postmaster.pid cannot be read: a failed disk): a {@code postgres} process whose command line
     * has {@code -D <data-dir>}, as pg_ctl starts it. Empty when none, or when ps fails.
     */
    Optional<Long> findByCommandLine(Deadline d) {
        CommandResult ps = runner.run(Command.of(d.cap(STEP), "ps", "-e", "-o", "pid=,comm=,args="));
        if (!ps.succeeded()) {
            return Optional.empty();
        }
        String dir = spec.dataDir().replaceAll("/+$", "");
        java.util.regex.Pattern dashD = java.util.regex.Pattern.compile("(^|\\s)-D\\s*\"?"
                + java.util.regex.Pattern.quote(dir) + "/*\"?(\\s|$)");
        for (String line : ps.stdout().split("\n")) {
            String[] f = line.strip().split("\\s+", 3);
            if (f.length == 3 && (f[1].equals("postgres") || f[1].equals("postmaster")) && dashD.matcher(f[2]).find()) {
                return Optional.of(Long.parseLong(f[0]));
            }
        }
        return Optional.empty();
    }

    /** Live postgres processes working in the data directory (its backends have it as cwd). */
    Map<Long, String> orphans(Deadline d) {
        HostProcesses.Lookup users = processes.usersOf(spec.dataDir(), d);
        Map<Long, String> alive = processes.alive(users.pids(), d).orElse(Map.of());
        Map<Long, String> postgres = new LinkedHashMap<>(alive);
        postgres.values().removeIf(comm -> !comm.equals("postgres") && !comm.equals("postmaster"));
        return postgres;
    }

    /**
     * {@code pg_ctl -w -t SECS -D DIR -o "-p PORT" -l LOG start} as the OS user. From PostgreSQL 14
     * on (PG_VERSION in the data directory) also {@code -c recovery_init_sync_method=syncfs}: after a
     * crash — every failover from a dead server — PostgreSQL first flushes the whole data directory,
     * by default one fsync per file; syncfs flushes the data directory's filesystem in one call.
     */
    ActionResult start(Deadline d) {
        long secs = Math.max(1, d.remaining().minus(PG_CTL_MARGIN).toSeconds());
        CommandResult r = runner.run(Command.of(d.remaining(), pgCtl(), "-w", "-t", Long.toString(secs), "-D", spec.dataDir(),
                "-o", "-p " + spec.port() + syncOption(d), "-l", logFile, "start").asUser(spec.osUser()));
        if (r.succeeded()) {
            LOG.info("{}: started PostgreSQL in {} on port {}", tag, spec.dataDir(), spec.port());
            return ActionResult.success("started PostgreSQL on port " + spec.port());
        }
        String log = logTail(d);
        FailureKind kind = r.timedOut() || r.output().contains("did not start in time") ? FailureKind.TIMED_OUT
                : r.programMissing() || log.contains("configuration file") ? FailureKind.MISCONFIGURED
                : log.contains("Address already in use") ? FailureKind.NOT_AVAILABLE_HERE
                : FailureKind.FAILED;
        return ActionResult.failed(kind, "pg_ctl start failed: " + r.describe()
                + (log.isEmpty() ? "" : "; end of " + logFile + ": " + log));
    }

    private String syncOption(Deadline d) {
        CommandResult version = runner.run(Command.of(d.cap(STEP), "cat", spec.dataDir().replaceAll("/+$", "") + "/PG_VERSION"));
        String major = version.succeeded() ? version.stdout().strip() : "";
        return major.matches("\\d{2,3}") && Integer.parseInt(major) >= 14 ? " -c recovery_init_sync_method=syncfs" : "";
    }

    /**
     * Stops postmaster {@code pid}: {@code pg_ctl -m MODE -W stop} as the OS user sends the
     * signal, then this waits, within {@code budget}, for the process itself to end — not for
     * postmaster.pid to go, as {@code pg_ctl -w} does: a postmaster whose disk failed under it
     * exits without being able to delete that file, and {@code pg_ctl -w} would wait out its
     * whole timeout for a process that is long gone (the file is a leftover for the next start).
     */
    CommandResult stop(String mode, long pid, Duration budget, Deadline d) {
        Duration limit = d.cap(budget);
        long start = System.nanoTime();
        CommandResult signalled = runner.run(Command.of(d.cap(STEP), pgCtl(), "-D", spec.dataDir(), "-m", mode, "-W", "stop")
                .asUser(spec.osUser()));
        if (!signalled.succeeded()) {
            return signalled;
        }
        Map<Long, String> left = processes.awaitGone(List.of(pid), limit.minus(Duration.ofNanos(System.nanoTime() - start)), d);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return left.isEmpty()
                ? new CommandResult(signalled.command(), 0, "postmaster pid " + pid + " ended", "", false, took)
                : new CommandResult(signalled.command(), 1, "", "postmaster pid " + pid + " still runs "
                        + CommandResult.seconds(took) + " after " + mode + " shutdown was requested", true, took);
    }

    /** SIGKILL without trying pg_ctl (the caller says why); returns true when it is gone. */
    boolean killAtOnce(long pid, Deadline d) {
        return processes.kill(List.of(pid), Duration.ofSeconds(5), d).isEmpty();
    }

    /** SIGKILL for a postmaster that pg_ctl could not stop; returns true when it is gone. */
    boolean kill(long pid, Deadline d) {
        LOG.error("{}: pg_ctl could not stop postmaster pid {}: sending SIGKILL", tag, pid);
        return killAtOnce(pid, d);
    }

    /**
     * The last lines of the server log, which say why a start failed: a configuration error
     * (on the shared disk, so the same everywhere) or a port another program holds on this server.
     */
    private String logTail(Deadline d) {
        CommandResult tail = runner.run(Command.of(d.cap(STEP), "tail", "-n", "5", logFile));
        return tail.stdout().strip().replace('\n', ' ');
    }

    private String pgCtl() {
        return spec.binDir().replaceAll("/+$", "") + "/pg_ctl";
    }

    private static String pids(Map<Long, String> pids) {
        return "pid " + pids.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
