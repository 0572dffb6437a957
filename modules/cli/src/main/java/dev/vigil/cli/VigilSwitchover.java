package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil switchover TAG --to SERVER}: the manual switchover, through this server's admin API
 * ({@code POST /v1/hierarchies/{tag}/switchover}). The daemon brings the hierarchy in service on
 * SERVER: itself when SERVER is this server, else by running {@code perform_action -a restore}
 * there over the cluster connection. Waits until it is done and prints what happened.
 */
@Command(name = "switchover", sortOptions = false, separator = " ",
        customSynopsis = "${COMMAND-FULL-NAME} TAG --to SERVER [--json] [-c FILE]",
        description = {"Bring the hierarchy that the resource TAG belongs to in service on SERVER (perform_action "
                + "-a restore there), sending SNMP traps 110 and 111/112.",
                "Refused while the hierarchy is in service on another server: take it out of service there first "
                        + "(perform_action -a remove)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the hierarchy is in service on SERVER",
                "1:the switchover was refused or failed, or the admin token file cannot be read",
                "2:bad option or unusable configuration", "3:unexpected answer from the daemon",
                "7:no resource or hierarchy is tagged TAG, or SERVER is not a server of the cluster",
                "9:the daemon is not running or does not answer"})
public final class VigilSwitchover implements Callable<Integer> {
    /** Beyond the daemon's own limits (the action, and remote execution's margin), so the daemon answers first. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration UNKNOWN_TAG_WAIT = Duration.ofSeconds(60);

    private final CliContext ctx;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "TAG", description = "A resource's tag; its whole hierarchy moves.")
    String tag;

    @Option(names = "--to", paramLabel = "SERVER", required = true, description = "The server to run it on.")
    String to;

    @Option(names = "--json", description = "Print the daemon's answer as JSON: {hierarchy, to, message}.")
    boolean json;

    public VigilSwitchover(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        VigilConfig c = config.load(ctx);
        AdminClient api = new AdminClient(c.admin());
        Duration wait = c.hierarchyOf(tag).map(HierarchyConfig::actionTimeout).map(d -> d.plus(MARGIN))
                .orElse(UNKNOWN_TAG_WAIT);
        AdminReply reply = api.post("/v1/hierarchies/" + URLEncoder.encode(tag, StandardCharsets.UTF_8) + "/switchover",
                Json.mapper().createObjectNode().put("to", to).toString(), wait);
        if (reply instanceof Failed f) {
            throw switch (f.status()) {
                case 404 -> CommandFailure.of(ExitCode.NOT_FOUND, f.error());
                case 409 -> CommandFailure.of(ExitCode.SYSTEM, f.error());
                default -> api.failure(reply);
            };
        }
        if (!(reply instanceof Answered a)) {
            throw api.failure(reply);
        }
        try {
            var tree = Json.mapper().readTree(a.body());
            ctx.out().println(json ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree)
                    : tree.path("message").asText());
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                    + " answered something that is not JSON: " + e.getOriginalMessage());
        }
        return ExitCode.OK;
    }
}
