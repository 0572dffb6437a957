package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.ConfigProblem;
import dev.vigil.core.config.VigilConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil check-config [FILE]}: validates a configuration (with its conf.d/ files) the way
 * the daemon will, so an operator can check an edit before restarting anything.
 */
@Command(name = "check-config", sortOptions = false, customSynopsis = "${COMMAND-FULL-NAME} [--json] [-c FILE | FILE]", separator = " ",
        description = "Check a configuration file and the conf.d/*.conf files beside it; print every problem.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the configuration is valid", "2:problems found (one per line), or bad usage"})
public final class CheckConfig implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print the result as JSON: {file, valid, servers, hierarchies} or "
            + "{file, valid, problems: [{file, line, key, message}]}.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "The file to check (default: -c FILE, else $VIGIL_CONF, else /etc/vigil/vigil.conf).")
    Path file;

    public CheckConfig(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (file != null && config.file != null) {
            throw new ParameterException(spec.commandLine(), "give the file either as FILE or with -c, not both");
        }
        Path path = file != null ? file : config.path(ctx);
        if (json) {
            return printJson(path);
        }
        VigilConfig c = ConfigOption.load(path);
        int servers = c.cluster().servers().size();
        int hierarchies = c.hierarchies().size();
        ctx.out().println(path + ": OK (" + plural(servers, "server", "servers") + ", "
                + plural(hierarchies, "hierarchy", "hierarchies") + ")");
        return ExitCode.OK;
    }

    private int printJson(Path path) {
        ObjectNode out = Json.mapper().createObjectNode().put("file", path.toString());
        int code;
        try {
            VigilConfig c = ConfigLoader.load(path);
            out.put("valid", true).put("servers", c.cluster().servers().size())
                    .put("hierarchies", c.hierarchies().size());
            code = ExitCode.OK;
        } catch (ConfigException e) {
            out.put("valid", false);
            ArrayNode problems = out.putArray("problems");
            for (ConfigProblem p : e.problems()) {
                ObjectNode n = problems.addObject().put("file", p.file());
                if (p.line() > 0) {
                    n.put("line", p.line());
                } else {
                    n.putNull("line");
                }
                n.put("key", p.key()).put("message", p.message());
            }
            code = ExitCode.USAGE;
        }
        try {
            ctx.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage());
        }
        return code;
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
