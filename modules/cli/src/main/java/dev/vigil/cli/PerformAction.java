package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.cli.format.TextTable;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ActionOutcome;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perform_action -t TAG -a ACTION}: the original's LRACI command on this server, through the
 * admin API ({@code POST /v1/hierarchies/{tag}/actions}). The action applies to the whole
 * hierarchy TAG belongs to; the command waits until it is done and prints the outcome, one line
 * per resource.
 */
@Command(name = "perform_action", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} -t TAG -a ACTION [-c FILE]",
        separator = " ",
        description = {"Carry out ACTION on this server for the resource hierarchy that the resource TAG belongs to, "
                + "and print each of its resources' state afterwards.",
                "restore  bring the hierarchy in service here (dependencies first); where another server has it, that "
                        + "server takes it out of service first (switchover)",
                "remove   take it out of service (top-down) while Vigil keeps running; no server restores it (no "
                        + "local recovery, no failover) until the next restore",
                "restart  remove, then restore"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the action succeeded",
                "1:the action failed, was refused (e.g. the hierarchy is in service on another server), or did not "
                        + "finish in time; or the admin token file cannot be read",
                "2:bad option or action, or unusable configuration", "3:unexpected answer from the daemon",
                "7:no resource or hierarchy is tagged TAG", "9:the daemon is not running or does not answer"})
public final class PerformAction implements Callable<Integer> {
    static final List<String> ACTIONS = List.of("restore", "remove", "restart");
    /** Beyond the daemon's own limit, so that the daemon's answer (504 included) arrives first. */
    private static final Duration MARGIN = Duration.ofSeconds(15);
    /** For a tag this server's configuration does not know: the daemon answers 404 at once. */
    private static final Duration UNKNOWN_TAG_WAIT = Duration.ofSeconds(60);

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "-t", paramLabel = "TAG", required = true,
            description = "A resource's tag; the action applies to the hierarchy it belongs to.")
    String tag;

    @Option(names = "-a", paramLabel = "ACTION", required = true, description = "restore, remove or restart.")
    String action;

    public PerformAction(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (!ACTIONS.contains(action)) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "'; actions: "
                    + String.join(", ", ACTIONS));
        }
        VigilConfig c = config.load(ctx);
        AdminClient api = new AdminClient(c.admin());
        Duration wait = c.hierarchyOf(tag).map(HierarchyConfig::actionTimeout).map(d -> d.plus(MARGIN))
                .orElse(UNKNOWN_TAG_WAIT);
        AdminReply reply = api.post("/v1/hierarchies/" + URLEncoder.encode(tag, StandardCharsets.UTF_8) + "/actions",
                "{\"action\": \"" + action + "\"}", wait);
        if (reply instanceof Failed f) {
            throw switch (f.status()) {
                case 404 -> CommandFailure.of(ExitCode.NOT_FOUND, f.error());
                case 409 -> CommandFailure.of(ExitCode.SYSTEM, action + " refused: " + f.error());
                case 504 -> CommandFailure.of(ExitCode.SYSTEM, f.error());
                default -> api.failure(reply);
            };
        }
        if (!(reply instanceof Answered a)) {
            throw api.failure(reply);
        }
        ActionOutcome outcome = parse(a.body(), api);
        TextTable rows = new TextTable(3);
        outcome.resources().forEach(r -> rows.add(r.tag(), r.state().name(), r.reason()));
        if (outcome.succeeded()) {
            ctx.out().println(outcome.message());
        }
        rows.lines().forEach(ctx.out()::println);
        if (!outcome.succeeded()) {
            throw CommandFailure.of(ExitCode.SYSTEM, action + " of hierarchy " + outcome.hierarchy() + " on "
                    + outcome.server() + " failed: " + outcome.message());
        }
        return ExitCode.OK;
    }

    private static ActionOutcome parse(String body, AdminClient api) {
        try {
            ActionOutcome o = Json.mapper().readValue(body, ActionOutcome.class);
            if (o == null || o.resources() == null || o.message() == null) {
                throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                        + " answered an action without message or resources: " + body);
            }
            return o;
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                    + " answered an action this command does not understand: " + e.getOriginalMessage());
        }
    }
}
