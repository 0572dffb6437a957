package dev.vigil.cli;

import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil shutdown-strategy [switchover|do-not-switchover]}: prints this server's shutdown
 * strategy, or sets it through the admin API ({@code POST /v1/shutdown-strategy}; the daemon
 * keeps it in its state directory, so it survives a restart). The GUI's Properties dialog sets
 * another server's strategy by running this command there.
 */
@Command(name = "shutdown-strategy", sortOptions = false,
        customSynopsis = "vigil shutdown-strategy [switchover | do-not-switchover] [-c FILE]",
        description = {"Print this server's shutdown strategy, or set it: what an orderly stop (lkstop) does with "
                + "the hierarchies in service here. The setting survives a restart of the daemon."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:printed or set", "1:the admin token file cannot be read, or the daemon could not save it",
                "2:bad argument or unusable configuration", "9:the daemon is not running"})
public final class VigilShutdownStrategy implements Callable<Integer> {
    private static final List<String> WORDS = List.of("switchover", "do-not-switchover");
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Parameters(arity = "0..1", paramLabel = "STRATEGY", description = "switchover or do-not-switchover.")
    String strategy;

    public VigilShutdownStrategy(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (strategy != null && !WORDS.contains(strategy)) {
            throw new ParameterException(spec.commandLine(), "unknown strategy '" + strategy
                    + "'; use switchover or do-not-switchover");
        }
        VigilConfig c = config.load(ctx);
        AdminClient api = new AdminClient(c.admin());
        if (strategy == null) {
            ClusterStatus s = api.status();
            ShutdownStrategy current = s.server(s.local()).map(x -> x.shutdownStrategy()).orElse(null);
            ctx.out().println(current == null ? "unknown" : current.words());
            return ExitCode.OK;
        }
        AdminReply reply = api.post("/v1/shutdown-strategy", "{\"strategy\": \"" + strategy + "\"}");
        if (reply instanceof Failed f && f.status() != 503) {
            throw CommandFailure.of(ExitCode.SYSTEM, f.error());
        }
        if (!(reply instanceof Answered)) {
            throw api.failure(reply);
        }
        ctx.out().println("shutdown strategy of " + c.serverName() + " set to " + strategy.replace('-', ' '));
        return ExitCode.OK;
    }
}
