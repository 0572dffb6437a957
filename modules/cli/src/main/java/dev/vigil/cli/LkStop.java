package dev.vigil.cli;

import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.cli.AdminReply.NotRunning;
import dev.vigil.cli.AdminReply.TokenProblem;
import dev.vigil.core.config.VigilConfig;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lkstop [-f | -n | -r]}: stops the daemon through the admin API and waits for its
 * process to end. The options say what happens to the protected resources (taken out of
 * service, left running, or switched over) and whether the daemon comes back at boot.
 * When {@code vigil.service} runs the daemon of this configuration, the mode still goes through
 * the admin API (a {@code systemctl stop} could only send SIGTERM, which follows the shutdown
 * strategy); systemd sees the daemon exit on its own, and {@code systemctl stop} afterwards
 * settles the unit as stopped (it also cancels a restart that systemd may have scheduled).
 * {@code KillMode=process} in the unit keeps systemd away from the resources {@code -f} leaves.
 */
@Command(name = "lkstop", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-f | -n | -r] [-c FILE]", separator = " ",
        description = {"Stop the Vigil daemon on this server.",
                "Without options its resources are taken out of service first, and Vigil will not start at boot.",
                "When vigil.service runs the daemon of this configuration file, systemctl stop vigil.service "
                        + "follows once the daemon has stopped."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the daemon stopped, or was not running",
                "1:systemctl failed, -r without systemd, the daemon refused or did not stop in time (60 s, plus the time "
                        + "its resources' remove timeouts allow)",
                "2:bad option (-n with -f or -r) or unusable configuration",
                "9:the daemon's process runs but its admin API does not answer"})
public final class LkStop implements Callable<Integer> {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final CliContext ctx;
    /** How long to wait for the daemon's end; {@code null}: 60 s plus the time its hierarchies may need to stop. */
    private final Duration stopTimeout;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "-f", description = "Stop the daemon only; leave the resources running (unprotected).")
    boolean leaveRunning;

    @Option(names = "-n", description = "Switch the resources over to their backup servers, then stop.")
    boolean switchover;

    @Option(names = "-r", description = "Make Vigil start again at boot (systemctl enable vigil.service).")
    boolean restartAtBoot;

    public LkStop(CliContext ctx) {
        this(ctx, null);
    }

    /** With a fixed wait for the daemon to end (tests). */
    LkStop(CliContext ctx, Duration stopTimeout) {
        this.ctx = ctx;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public Integer call() {
        if (switchover && (leaveRunning || restartAtBoot)) {
            throw new ParameterException(spec.commandLine(), "-n cannot be combined with -f or -r");
        }
        VigilConfig c = config.load(ctx);
        String server = c.serverName();
        bootSetting(server, config.path(ctx));
        boolean underSystemd = ctx.services().manages(config.path(ctx));

        AdminClient api = new AdminClient(c.admin());
        Duration wait = stopTimeout != null ? stopTimeout
                : leaveRunning ? STOP_TIMEOUT : STOP_TIMEOUT.plus(c.hierarchiesStopBound());
        OptionalLong pid = DaemonPid.live(c.stateDir());
        String mode = switchover ? "switchover" : leaveRunning ? "leave-running" : "remove";
        AdminReply reply = api.post(AdminClient.SHUTDOWN, "{\"mode\": \"" + mode + "\"}");
        if (reply instanceof NotRunning n) {
            if (pid.isPresent()) {
                throw CommandFailure.of(ExitCode.COMMUNICATION, "the daemon (pid " + pid.getAsLong()
                        + ") runs but its admin API does not answer (" + n.detail() + "); stop it with: kill "
                        + pid.getAsLong());
            }
            settleUnit(underSystemd);
            ctx.out().println("Vigil is not running on server " + server + ".");
            return ExitCode.OK;
        }
        if (reply instanceof TokenProblem t) {
            throw CommandFailure.of(ExitCode.SYSTEM, t.message());
        }
        if (reply instanceof Failed f) {
            throw CommandFailure.of(ExitCode.SYSTEM, "the daemon refused to stop (HTTP " + f.status() + "): " + f.error());
        }
        if (!awaitStop(api, pid, wait)) {
            throw CommandFailure.of(ExitCode.SYSTEM, "the daemon" + pid.stream().mapToObj(p -> " (pid " + p + ")")
                    .findFirst().orElse("") + " is still running " + seconds(wait)
                    + " after the shutdown request; see 'lk_log log'");
        }
        settleUnit(underSystemd);
        ctx.out().println("Vigil stopped on server " + server + ".");
        return ExitCode.OK;
    }

    /** Once the daemon is gone: {@code systemctl stop vigil.service}, so that systemd agrees (best effort). */
    private void settleUnit(boolean underSystemd) {
        if (!underSystemd) {
            return;
        }
        ServiceManager.Outcome stopped = ctx.services().stop();
        if (!stopped.ok()) {
            ctx.out().flush();
            ctx.err().println(spec.qualifiedName() + ": warning: systemd may restart Vigil: " + stopped.command()
                    + " failed: " + stopped.message());
        }
    }

    /**
     * -r enables start at boot, before anything is stopped; otherwise start at boot is disabled (best
     * effort). Only for the daemon vigil.service runs: when the unit runs another configuration file
     * (a test or demo daemon of the same machine), its start at boot is none of this lkstop's business.
     */
    private void bootSetting(String server, java.nio.file.Path file) {
        ServiceManager services = ctx.services();
        java.util.Optional<java.nio.file.Path> other = services.unit().filter(u -> u.loaded() && !u.runs(file))
                .flatMap(ServiceManager.Unit::configFile);
        if (other.isPresent()) {
            if (restartAtBoot) {
                throw CommandFailure.of(ExitCode.SYSTEM, "cannot make Vigil start at boot (-r): vigil.service runs "
                        + other.get() + ", not " + file + "; nothing was stopped");
            }
            ctx.out().println("vigil.service runs " + other.get() + ", not " + file
                    + ": its start at boot is left as it is.");
            return;
        }
        if (restartAtBoot) {
            if (!services.systemdRunning()) {
                throw CommandFailure.of(ExitCode.SYSTEM, "cannot make Vigil start at boot (-r): systemd is not "
                        + "running on this server; nothing was stopped");
            }
            ServiceManager.Outcome enabled = services.enable();
            if (!enabled.ok()) {
                throw CommandFailure.of(ExitCode.SYSTEM, "cannot make Vigil start at boot (-r), so nothing was "
                        + "stopped: " + enabled.command() + " failed: " + enabled.message());
            }
            ctx.out().println("Vigil will start at boot on server " + server + " (" + enabled.command() + ").");
        } else if (services.systemdRunning()) {
            ServiceManager.Outcome disabled = services.disable();
            if (disabled.ok()) {
                ctx.out().println("Vigil will not start at boot on server " + server + " (" + disabled.command() + ").");
            } else {
                ctx.out().flush();
                ctx.err().println(spec.qualifiedName() + ": warning: Vigil may still start at boot: "
                        + disabled.command() + " failed: " + disabled.message());
            }
        }
    }

    /** Until the daemon's process has ended (or, without a pid file, until its API stops answering). */
    private boolean awaitStop(AdminClient api, OptionalLong pid, Duration wait) {
        if (pid.isPresent()) {
            return DaemonPid.awaitExit(pid.getAsLong(), wait);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (api.get(AdminClient.STATUS, Duration.ofSeconds(1)) instanceof NotRunning) {
                return true;
            }
            Sleep.brief();
        }
        return false;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
