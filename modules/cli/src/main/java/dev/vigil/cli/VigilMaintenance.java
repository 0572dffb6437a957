package dev.vigil.cli;

import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.VigilConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil maintenance on|off [TAG]}: maintenance mode of one hierarchy (the one {@code TAG}
 * belongs to), or of every hierarchy this server may run, cluster-wide, through the admin API
 * ({@code POST /v1/hierarchies/{tag}/maintenance}). In maintenance mode checks, local recovery and
 * failover are suspended and the resources are left as they are; leaving it checks them again.
 */
@Command(name = "maintenance", sortOptions = false,
        customSynopsis = "vigil maintenance on|off [TAG] [-c FILE]",
        description = {"Put a hierarchy (TAG, any of its resources' tags) or every hierarchy of this server in "
                + "maintenance mode, cluster-wide, or take it out: checks, local recovery and failover are suspended, "
                + "the resources left exactly as they are; leaving it checks their health again."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:recorded", "1:refused (this server sees no majority), or the token cannot be read",
                "2:bad argument or unusable configuration", "7:unknown tag", "9:the daemon is not running"})
public final class VigilMaintenance implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "on|off", description = "on: enter maintenance mode; off: leave it.")
    String mode;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TAG", description = "A hierarchy or resource tag; "
            + "default: every hierarchy this server may run.")
    String tag;

    public VigilMaintenance(CliContext ctx) {
        this.ctx = ctx;
    }

    private String message(String body, String t) {
        try {
            return Json.mapper().readTree(body).path("message").asText("hierarchy " + t + ": maintenance " + mode);
        } catch (java.io.IOException e) {
            return "hierarchy " + t + ": maintenance " + mode;
        }
    }

    @Override
    public Integer call() {
        if (!mode.equals("on") && !mode.equals("off")) {
            throw new ParameterException(spec.commandLine(), "unknown mode '" + mode + "'; use on or off");
        }
        VigilConfig c = config.load(ctx);
        List<String> tags = new ArrayList<>();
        if (tag != null) {
            tags.add(tag);
        } else {
            c.localHierarchies().stream().map(HierarchyConfig::tag).forEach(tags::add);
            if (tags.isEmpty()) {
                throw CommandFailure.of(ExitCode.NOT_FOUND, "server " + c.serverName()
                        + " runs no hierarchy (it is a witness); name a TAG or run this on a server that runs it");
            }
        }
        AdminClient api = new AdminClient(c.admin());
        for (String t : tags) {
            AdminReply reply = api.post("/v1/hierarchies/" + URLEncoder.encode(t, StandardCharsets.UTF_8)
                    + "/maintenance", "{\"maintenance\": \"" + mode + "\"}");
            if (reply instanceof Failed f && f.status() == 404) {
                throw CommandFailure.of(ExitCode.NOT_FOUND, f.error());
            }
            if (reply instanceof Failed f && f.status() != 503) {
                throw CommandFailure.of(ExitCode.SYSTEM, f.error());
            }
            if (!(reply instanceof Answered a)) {
                throw api.failure(reply);
            }
            ctx.out().println(message(a.body(), t));
        }
        return ExitCode.OK;
    }
}
