package dev.vigil.cli;

import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.cli.AdminReply.NotRunning;
import dev.vigil.cli.AdminReply.TokenProblem;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lkstart [-w SECONDS]}: starts the daemon and returns once its admin API answers, so that
 * the next command finds it running. Where systemd runs and {@code vigil.service} runs the daemon
 * of this configuration, through {@code systemctl start} (the daemon's output goes to the
 * journal); elsewhere directly, {@code bin/vigild} in its own session with its output appended to
 * {@code <state-dir>/daemon.out}. If the daemon dies while starting, the operator sees why right
 * here, not in a file.
 */
@Command(name = "lkstart", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [-w SECONDS] [-c FILE]", separator = " ",
        description = {"Start the Vigil daemon on this server and wait until it answers.",
                "Does nothing if it is already running. Where systemd runs and vigil.service runs the daemon of "
                        + "this configuration file, the daemon is started with systemctl start vigil.service; "
                        + "otherwise directly, with its output in <state-dir>/daemon.out."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the daemon runs (started now, or already running)",
                "1:the daemon could not be started, exited while starting, or did not answer in time",
                "2:bad option or unusable configuration (every problem is printed)"})
public final class LkStart implements Callable<Integer> {
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "-w", paramLabel = "SECONDS", description = "How long to wait for the daemon to answer (default: 60).")
    int waitSeconds = 60;

    public LkStart(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (waitSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "-w must be at least 1 second, not " + waitSeconds);
        }
        Path configFile = config.path(ctx);
        VigilConfig c = ConfigOption.load(configFile);
        AdminClient api = new AdminClient(c.admin());
        String server = c.serverName();

        if (alreadyRunning(c, api)) {
            OptionalLong pid = DaemonPid.live(c.stateDir());
            ctx.out().println("Vigil is already running on server " + server
                    + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "") + ".");
            return ExitCode.OK;
        }
        if (ctx.services().manages(configFile)) {
            return startWithSystemd(server, api);
        }

        DaemonLauncher.Launched daemon = DaemonLauncher.launch(DaemonLauncher.vigild(ctx, "lkstart"), configFile, c.stateDir());
        if (DaemonLauncher.awaitAnswer(daemon, api, Duration.ofSeconds(waitSeconds))) {
            ctx.out().println("Vigil started on server " + server + " (pid " + daemon.process().pid() + ").");
            return ExitCode.OK;
        }
        throw CommandFailure.of(ExitCode.SYSTEM, "the daemon (pid " + daemon.process().pid() + ") did not answer on "
                + api.address() + " within " + waitSeconds + " s; it is still running: see " + daemon.output()
                + " and 'lk_log log', or wait longer with -w");
    }

    /**
     * {@code systemctl start vigil.service}, then the same wait as a direct start. A daemon that
     * exits while starting is reported with its words from the journal, and the unit is stopped
     * so that systemd does not keep restarting what the operator was told has failed.
     */
    private int startWithSystemd(String server, AdminClient api) {
        ServiceManager services = ctx.services();
        Instant since = Instant.now().minusSeconds(1);
        ServiceManager.Outcome started = services.start();
        if (!started.ok()) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot start the daemon: " + started.command() + " failed: "
                    + started.message() + "; see: systemctl status " + ServiceManager.UNIT);
        }
        OptionalLong pid = services.unit().map(ServiceManager.Unit::mainPid).orElse(OptionalLong.empty());
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (api.get(AdminClient.STATUS, POLL_TIMEOUT) instanceof Answered) {
                ctx.out().println("Vigil started on server " + server + " by systemd (" + ServiceManager.UNIT
                        + pid.stream().mapToObj(p -> ", pid " + p).findFirst().orElse("") + ").");
                return ExitCode.OK;
            }
            if (pid.isEmpty() || !DaemonPid.alive(pid.getAsLong())) {
                String state = services.unit().map(ServiceManager.Unit::activeState).orElse("in an unknown state");
                ServiceManager.Outcome stopped = services.stop();
                throw CommandFailure.of(ExitCode.SYSTEM, "the daemon exited while starting (" + ServiceManager.UNIT
                        + " is " + state + "; " + (stopped.ok() ? "stopped it so that systemd does not restart it"
                        : stopped.command() + " failed: " + stopped.message()) + "). Its journal:\n"
                        + services.journalSince(since, 30));
            }
            Sleep.brief();
        }
        throw CommandFailure.of(ExitCode.SYSTEM, "the daemon" + pid.stream().mapToObj(p -> " (pid " + p + ")").findFirst()
                .orElse("") + " did not answer on " + api.address() + " within " + waitSeconds + " s; it is still "
                + "running under systemd: see 'systemctl status " + ServiceManager.UNIT + "', 'journalctl -u "
                + ServiceManager.UNIT + "' and 'lk_log log', or wait longer with -w");
    }

    /**
     * True when a daemon already answers. A live daemon named by the pid file that does not answer
     * yet may be starting: it gets the wait period, then it is an error to start a second one.
     */
    private boolean alreadyRunning(VigilConfig c, AdminClient api) {
        AdminReply reply = api.get(AdminClient.STATUS, POLL_TIMEOUT);
        if (reply instanceof Answered) {
            return true;
        }
        if (reply instanceof TokenProblem t) {
            throw CommandFailure.of(ExitCode.SYSTEM, "a daemon answers on " + api.address() + " but " + t.message());
        }
        if (reply instanceof Failed f) {
            throw CommandFailure.of(ExitCode.SYSTEM, "something answers on " + api.address() + " with HTTP "
                    + f.status() + " (" + f.error() + "); is admin.port used by another program?");
        }
        OptionalLong pid = DaemonPid.live(c.stateDir());
        if (pid.isEmpty()) {
            return false;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline && DaemonPid.alive(pid.getAsLong())) {
            if (api.get(AdminClient.STATUS, POLL_TIMEOUT) instanceof Answered) {
                return true;
            }
            Sleep.brief();
        }
        if (!DaemonPid.alive(pid.getAsLong())) {
            return false;
        }
        throw CommandFailure.of(ExitCode.SYSTEM, "the daemon named in " + DaemonPid.file(c.stateDir()) + " (pid "
                + pid.getAsLong() + ") is running but its admin API did not answer within " + waitSeconds + " s ("
                + ((NotRunning) reply).detail() + "); stop it (kill " + pid.getAsLong() + ") before starting Vigil again");
    }
}
