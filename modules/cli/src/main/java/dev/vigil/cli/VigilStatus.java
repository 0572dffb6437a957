package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.core.config.VigilConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil status}: {@code lcdstatus} under the umbrella command, plus {@code --json} for
 * tools that want the admin API's ClusterStatus as it is.
 */
@Command(name = "status", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [--json] [-q] [-e] [-d SERVER] [-r ROOT_TAG] [-c FILE]", separator = " ",
        description = {"Print the cluster status: the same as lcdstatus, or with --json the raw ClusterStatus "
                + "of the admin API (GET /v1/status)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:status printed", "1:the admin token file cannot be read or was rejected",
                "2:bad option or unusable configuration", "3:unexpected answer from the daemon",
                "7:unknown server (-d) or hierarchy (-r)", "9:the daemon is not running or does not answer"})
public final class VigilStatus extends LcdStatus {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the ClusterStatus JSON (cannot be combined with -q, -e, -d, -r).")
    boolean json;

    public VigilStatus(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        if (!json) {
            return super.call();
        }
        if (quick || backups || server != null || rootTag != null) {
            throw new ParameterException(spec.commandLine(), "--json cannot be combined with -q, -e, -d or -r");
        }
        VigilConfig c = config.load(ctx);
        AdminClient api = new AdminClient(c.admin());
        String body = api.statusJson();
        try {
            Object tree = Json.mapper().readTree(body);
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                    + " answered something that is not JSON: " + e.getOriginalMessage());
        }
        return ExitCode.OK;
    }
}
