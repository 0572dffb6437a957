package dev.vigil.kits.postgresql;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.PostgresqlSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.filesystem.WriteProbe;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import dev.vigil.kits.process.Deadline;
import dev.vigil.kits.process.ProcessWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL instance that Vigil alone starts and stops ({@code pg_ctl} as the instance's OS
 * user). The check is the manual's: {@code SELECT 1} on template1 over 127.0.0.1. A server that
 * rejects the check (pg_hba.conf, password) is MISCONFIGURED — failing over would meet the same
 * pg_hba.conf; a postmaster that is gone is FAILED with event {@code powergres,recover}, and
 * recover restarts it in place at once, clearing what the crash left behind. Between checks the
 * postmaster process itself is watched ({@link #watch()}), so its death is noticed within 50 ms.
 */
public final class PostgresqlKit implements RecoveryKit {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final KitEvent RECOVER = KitEvent.of(ResourceType.POSTGRESQL, "recover");
    private static final long POLL_MILLIS = 100;
    /** How long remove waits at most for its write check of the data directory (a hung disk blocks it). */
    private static final Duration DATA_DIR_PROBE = Duration.ofSeconds(2);

    private final String tag;
    private final PostgresqlSpec spec;
    private final ActionTimeouts timeouts;
    private final Postmaster postmaster;
    private final HealthCheck health;
    private final WriteProbe dataDirProbe;

    public PostgresqlKit(String tag, PostgresqlSpec spec, ActionTimeouts timeouts, CommandRunner runner) {
        this.tag = tag;
        this.spec = spec;
        this.timeouts = timeouts;
        this.postmaster = new Postmaster(tag, spec, runner);
        this.health = new HealthCheck(spec);
        this.dataDirProbe = new WriteProbe(tag, spec.dataDir(), runner);
    }

    @Override
    public ActionResult restore() {
        Deadline d = Deadline.after(timeouts.restore());
        Optional<ActionResult> misconfigured = postmaster.preflight(d);
        if (misconfigured.isPresent()) {
            return misconfigured.get();
        }
        Postmaster.Instance instance = postmaster.inspect(d);
        if (instance.state() == Postmaster.State.RUNNING) {
            return answering(d, "already running: " + instance.describe());
        }
        return startFresh(instance, d);
    }

    /** Clears a crashed instance's leftovers, starts it and waits until it answers the check. */
    /**
     * How long a recovery waits before starting an instance that was shut down cleanly (no
     * postmaster.pid): three polls of whoever stopped it with {@code pg_ctl stop -w}.
     */
    static final long CLEAN_STOP_GRACE_MILLIS = 300;

    private ActionResult startFresh(Postmaster.Instance instance, Deadline d) {
        if (instance.state() == Postmaster.State.UNKNOWN) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), instance.describe() + " in " + spec.dataDir());
        }
        postmaster.clearLeftovers(instance, d);
        ActionResult started = postmaster.start(d);
        return started.succeeded() ? answering(d, started.message()) : started;
    }

    /** Polls the check until it passes, the server rejects it, or the action's time is up. */
    private ActionResult answering(Deadline d, String success) {
        HealthCheck.Outcome outcome = health.run();
        while (outcome.verdict() != HealthCheck.Verdict.OK && outcome.verdict() != HealthCheck.Verdict.REJECTED
                && !d.expired() && !Thread.currentThread().isInterrupted()) {
            sleep();
            outcome = health.run();
        }
        return switch (outcome.verdict()) {
            case OK -> ActionResult.success(success);
            case REJECTED -> ActionResult.failed(FailureKind.MISCONFIGURED, outcome.message());
            default -> ActionResult.failed(FailureKind.TIMED_OUT, "PostgreSQL does not answer the check within "
                    + CommandResult.seconds(d.total()) + ": " + outcome.message());
        };
    }

    @Override
    public ActionResult remove() {
        Deadline d = Deadline.after(timeouts.remove());
        Postmaster.Instance instance = postmaster.inspect(d);
        switch (instance.state()) {
            case UNKNOWN:
                // postmaster.pid cannot be read: its disk failed (or hangs); a shutdown could not work there either
                Optional<Long> running = postmaster.findByCommandLine(d);
                if (running.isPresent()) {
                    return stopOnDeadDisk(running.get(), spec.dataDir() + "/postmaster.pid cannot be read", d);
                }
                return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), instance.describe() + " in " + spec.dataDir()
                        + ", and no postgres process with -D " + spec.dataDir() + " was found");
            case NO_PID_FILE:
            case STALE:
                postmaster.clearLeftovers(instance, d);
                return ActionResult.success(instance.describe());
            default:
                break;
        }
        long pid = instance.pidFile().orElseThrow().pid();
        Optional<Failure> unwritable = dataDirProbe.write(Deadline.after(d.cap(DATA_DIR_PROBE)));
        if (unwritable.isPresent()) {
            return stopOnDeadDisk(pid, spec.dataDir() + " cannot be written (" + unwritable.get().reason() + ")", d);
        }
        CommandResult fast = postmaster.stop("fast", pid, spec.fastStopTimeout(), d);
        if (fast.succeeded()) {
            return ActionResult.success("stopped postmaster pid " + pid + " (fast shutdown)");
        }
        CommandResult immediate = postmaster.stop("immediate", pid, d.remaining(), d);
        if (immediate.succeeded()) {
            return ActionResult.success("stopped postmaster pid " + pid + " (immediate shutdown after fast failed: "
                    + fast.describe() + ")");
        }
        Postmaster.Instance now = postmaster.inspect(d);
        if (now.state() != Postmaster.State.RUNNING) {
            postmaster.clearLeftovers(now, d);
            return ActionResult.success("postmaster pid " + pid + " is gone (" + immediate.describe() + ")");
        }
        if (postmaster.kill(pid, d)) {
            postmaster.clearLeftovers(postmaster.inspect(d), d);
            return ActionResult.success("killed postmaster pid " + pid + " after pg_ctl stop failed: " + immediate.describe());
        }
        return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), "postmaster pid " + pid
                + " survives pg_ctl stop -m fast, -m immediate and SIGKILL: " + immediate.describe());
    }

    /**
     * The data directory cannot be written (its disk failed, or hangs): no shutdown can write its
     * checkpoint there, and a fast or immediate shutdown only waits (seconds on a failed disk, its
     * whole timeout on a hung one) for processes that cannot finish. What the server acknowledged
     * is in its WAL already, so the postmaster is SIGKILLed at once and its backends after it.
     */
    private ActionResult stopOnDeadDisk(long pid, String what, Deadline d) {
        LOG.warn("{}: {}: no shutdown could write its checkpoint; SIGKILL to postmaster pid {}", tag, what, pid);
        if (!postmaster.killAtOnce(pid, d)) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), "postmaster pid " + pid + " survives SIGKILL ("
                    + what + ")");
        }
        postmaster.clearLeftovers(postmaster.inspect(d), d);
        return ActionResult.success("killed postmaster pid " + pid + " at once: " + what
                + ", so no shutdown could write its checkpoint");
    }

    @Override
    public CheckResult quickCheck() {
        Deadline d = Deadline.after(timeouts.quickCheck());
        HealthCheck.Outcome outcome = health.run();
        switch (outcome.verdict()) {
            case OK:
                return CheckResult.healthy();
            case REJECTED:
                return CheckResult.failed(RECOVER, FailureKind.MISCONFIGURED, outcome.message());
            case NO_ANSWER:
                return CheckResult.failed(RECOVER, FailureKind.TIMED_OUT, outcome.message());
            case REFUSED:
                return refused(outcome, d);
            default:
                return CheckResult.failed(RECOVER, FailureKind.FAILED, outcome.message());
        }
    }

    /** Refused: a crashed or stopped instance (FAILED), or a running one not listening where the check looks. */
    private CheckResult refused(HealthCheck.Outcome outcome, Deadline d) {
        Postmaster.Instance instance = postmaster.inspect(d);
        if (instance.state() == Postmaster.State.RUNNING && instance.pidFile().orElseThrow().ready()) {
            PostmasterPid pid = instance.pidFile().get();
            String where = pid.port().filter(p -> p != spec.port())
                    .map(p -> "it listens on port " + p + ", not " + spec.port())
                    .orElse("check listen_addresses (must include 127.0.0.1 or localhost) in postgresql.conf");
            return CheckResult.failed(RECOVER, FailureKind.MISCONFIGURED, "postmaster pid " + pid.pid()
                    + " is running but " + outcome.message() + ": " + where);
        }
        return CheckResult.failed(RECOVER, FailureKind.FAILED, outcome.message() + "; " + instance.describe());
    }

    @Override
    public ActionResult recover() {
        Deadline d = Deadline.after(timeouts.recover());
        Postmaster.Instance instance = postmaster.inspect(d);
        if (instance.state() == Postmaster.State.NO_PID_FILE) {
            // Shut down cleanly (the postmaster removed its pid file), not crashed: someone stopped it behind
            // Vigil's back, and the watch saw it at once. Let their `pg_ctl stop -w`, which looks every 100 ms,
            // see it stopped before it is started again; a crash (a stale pid file) is restarted at once.
            pause(CLEAN_STOP_GRACE_MILLIS);
            ActionResult started = startFresh(postmaster.inspect(d), d);
            return started.succeeded() ? ActionResult.success("shut down cleanly behind Vigil's back, started again: "
                    + started.message()) : started;
        }
        if (instance.state() != Postmaster.State.RUNNING) {
            return startFresh(instance, d);
        }
        HealthCheck.Outcome outcome = health.run();
        if (outcome.answered()) {
            return answering(d, "answering again: " + instance.describe());
        }
        if (instance.pidFile().orElseThrow().status().equals("starting")) {
            return answering(d, "answering after its own crash recovery");
        }
        CommandResult stopped = postmaster.stop("immediate", instance.pidFile().orElseThrow().pid(), Duration.ofSeconds(30), d);
        Postmaster.Instance after = postmaster.inspect(d);
        if (after.state() == Postmaster.State.RUNNING && !postmaster.kill(after.pidFile().orElseThrow().pid(), d)) {
            return ActionResult.failed(d.timedOutOr(FailureKind.FAILED), "postmaster does not answer ("
                    + outcome.message() + ") and cannot be stopped: " + stopped.describe());
        }
        return startFresh(postmaster.inspect(d), d);
    }

    @Override
    public Presence probe() {
        Deadline d = Deadline.after(timeouts.quickCheck());
        Postmaster.Instance instance = postmaster.inspect(d);
        return switch (instance.state()) {
            case NO_PID_FILE -> postmaster.orphans(d).isEmpty() ? Presence.STOPPED : Presence.FAILED;
            case RUNNING -> health.run().answered() ? Presence.RUNNING : Presence.FAILED;
            default -> Presence.FAILED;
        };
    }

    /**
     * The postmaster of postmaster.pid, watched from the JVM ({@link ProcessWatch}): its death is a
     * failure. One that is already gone (it died since the check) fires at once.
     */
    @Override
    public Optional<CompletableFuture<String>> watch() {
        Postmaster.Instance instance = postmaster.inspect(Deadline.after(timeouts.quickCheck()));
        if (instance.state() != Postmaster.State.RUNNING) {
            return Optional.of(CompletableFuture.completedFuture(instance.describe()));
        }
        long pid = instance.pidFile().orElseThrow().pid();
        return ProcessWatch.watch(pid, "postgres", "postmaster pid " + pid);
    }

    private static void sleep() {
        pause(POLL_MILLIS);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
