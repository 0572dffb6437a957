package dev.vigil.kits.generic;

import dev.vigil.core.LogType;
import dev.vigil.core.ResourceType;
import dev.vigil.core.config.ActionTimeouts;
import dev.vigil.core.config.spec.GenericSpec;
import dev.vigil.kits.ActionResult;
import dev.vigil.kits.CheckResult;
import dev.vigil.kits.Failure;
import dev.vigil.kits.FailureKind;
import dev.vigil.kits.KitEvent;
import dev.vigil.kits.Presence;
import dev.vigil.kits.RecoveryKit;
import dev.vigil.kits.process.Command;
import dev.vigil.kits.process.CommandResult;
import dev.vigil.kits.process.CommandRunner;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application protected by the operator's own scripts, as the original's Generic Application
 * kit: each script is run as {@code SCRIPT -t TAG -i ID APP-INFO}; exit 0 is success, anything
 * else failure; a script that outlives its timeout is killed with everything it started. Without
 * a recover script local recovery is unsupported and the resource fails over. Its output goes to
 * the main log. Event: {@code gen,fail}.
 */
public final class GenericKit implements RecoveryKit {
    private static final Logger LOG = LoggerFactory.getLogger(LogType.LOG.loggerName());
    private static final KitEvent FAIL = KitEvent.of(ResourceType.GENERIC, "fail");

    private final String tag;
    private final String id;
    private final GenericSpec spec;
    private final ActionTimeouts timeouts;
    private final CommandRunner runner;

    public GenericKit(String tag, String id, GenericSpec spec, ActionTimeouts timeouts, CommandRunner runner) {
        this.tag = tag;
        this.id = id;
        this.spec = spec;
        this.timeouts = timeouts;
        this.runner = runner;
    }

    @Override
    public ActionResult restore() {
        return action("restore", spec.restoreScript(), timeouts.restore());
    }

    @Override
    public ActionResult remove() {
        return action("remove", spec.removeScript(), timeouts.remove());
    }

    @Override
    public CheckResult quickCheck() {
        Optional<Failure> failure = run("quickCheck", spec.quickCheckScript(), timeouts.quickCheck());
        return failure.map(f -> CheckResult.failed(FAIL, f.kind(), f.reason())).orElse(CheckResult.healthy());
    }

    @Override
    public ActionResult recover() {
        if (spec.recoverScript().isEmpty()) {
            return ActionResult.failed(FailureKind.NOT_AVAILABLE_HERE,
                    "no recover script configured: local recovery is not supported, the resource must fail over");
        }
        ActionResult recovered = action("recover", spec.recoverScript().get(), timeouts.recover());
        if (!recovered.succeeded()) {
            return recovered;
        }
        CheckResult again = quickCheck();
        return again.isHealthy() ? recovered : ActionResult.failed(again.failure().orElseThrow());
    }

    /** quickCheck exit 0 = RUNNING, another exit code = STOPPED, killed or not runnable = FAILED. */
    @Override
    public Presence probe() {
        CommandResult r = script("quickCheck", spec.quickCheckScript(), timeouts.quickCheck());
        if (r.succeeded()) {
            return Presence.RUNNING;
        }
        return r.timedOut() || r.programMissing() ? Presence.FAILED : Presence.STOPPED;
    }

    private ActionResult action(String action, String script, Duration timeout) {
        return run(action, script, timeout).map(ActionResult::failed)
                .orElseGet(() -> ActionResult.success(action + " script " + script + " succeeded"));
    }

    /** Runs one script; empty on exit 0, else the failure with its kind. */
    private Optional<Failure> run(String action, String script, Duration timeout) {
        CommandResult r = script(action, script, timeout);
        if (r.succeeded()) {
            return Optional.empty();
        }
        if (r.timedOut()) {
            return Optional.of(new Failure(FailureKind.TIMED_OUT, action + " script " + script + " did not finish within "
                    + CommandResult.seconds(timeout) + " and was killed with its children" + tail(r)));
        }
        if (r.programMissing()) {
            return Optional.of(new Failure(FailureKind.MISCONFIGURED, action + " script " + script
                    + " cannot be run (missing or not executable)" + tail(r)));
        }
        return Optional.of(new Failure(FailureKind.FAILED, action + " script " + script + " exited " + r.exitCode() + tail(r)));
    }

    private CommandResult script(String action, String script, Duration timeout) {
        CommandResult r = runner.run(Command.of(timeout, script, "-t", tag, "-i", id, spec.appInfo()));
        r.output().lines().forEach(line -> LOG.info("{}: {}: {}", tag, action, line));
        return r;
    }

    private static String tail(CommandResult r) {
        String out = r.output().replace('\n', ' ');
        if (out.length() > 300) {
            out = "…" + out.substring(out.length() - 300);
        }
        return out.isEmpty() ? "" : ": " + out;
    }
}
