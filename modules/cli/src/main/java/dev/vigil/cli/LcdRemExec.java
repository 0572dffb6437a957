package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.cli.AdminReply.Answered;
import dev.vigil.cli.AdminReply.Failed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lcdremexec [-e] -d SERVER [-t SECONDS] -- COMMAND [ARGUMENT...]}: runs a command on a
 * server of the cluster through the daemon (admin API {@code POST /v1/remote-exec}, then the
 * cluster connection) and behaves like it: prints its output and exits with its exit code. As in
 * the original, stdout and stderr come back together on stdout unless {@code -e} keeps stderr apart.
 */
@Command(name = "lcdremexec", sortOptions = false, separator = " ",
        customSynopsis = "${COMMAND-FULL-NAME} [-e] -d SERVER [-t SECONDS] [-c FILE] -- COMMAND [ARGUMENT...]",
        description = {"Run COMMAND with its ARGUMENTs on SERVER of the Vigil cluster, through the daemon of this "
                + "server, print its output and exit with its exit code. Every request is logged in the 'remote exec' "
                + "log of both servers. '--' must come before COMMAND.",
                "On SERVER the command runs without a shell, from /, with the Vigil commands first on its PATH and "
                + "VIGIL_CONF naming that server's configuration."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"N:the exit code of COMMAND on SERVER (127: it does not exist there)",
                "1:the admin token file cannot be read or was rejected",
                "2:bad option, missing '--' or COMMAND, or unusable configuration",
                "3:unexpected answer from the daemon",
                "7:unknown server",
                "9:this server's daemon is not running, SERVER cannot be reached or stopped answering while COMMAND ran, "
                        + "or COMMAND ran out of time"})
public final class LcdRemExec implements Callable<Integer> {
    /** As the daemon: the original's REMOTETIMEOUT, and the longest wait it accepts. */
    static final int DEFAULT_TIMEOUT_SECONDS = 900;
    static final int MAX_TIMEOUT_SECONDS = 3600;
    /** How much longer than the command may run this command waits for the daemon's answer. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Option(names = "-e", description = "Print the command's stderr on stderr (default: together with its stdout).")
    boolean separateStderr;

    @Option(names = "-d", required = true, paramLabel = "SERVER", description = "The server to run COMMAND on.")
    String server;

    @Option(names = "-t", paramLabel = "SECONDS",
            description = "Kill COMMAND if it runs longer (1 to " + MAX_TIMEOUT_SECONDS + "; default "
                    + DEFAULT_TIMEOUT_SECONDS + ").")
    Integer timeoutSeconds;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The program to run and its arguments, after --.")
    List<String> command;

    public LcdRemExec(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        checkUsage();
        AdminClient api = new AdminClient(config.load(ctx).admin());
        int seconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
        AdminReply reply = api.post(AdminClient.REMOTE_EXEC, requestBody(), Duration.ofSeconds(seconds).plus(ANSWER_MARGIN));
        if (reply instanceof Answered a) {
            JsonNode body = parse(api, a.body());
            print(body);
            int exit = body.path("exitCode").asInt(-1);
            if (exit < 0 || exit > 255) {
                throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                        + " answered without a valid exit code: " + a.body());
            }
            return exit;
        }
        if (reply instanceof Failed f) {
            switch (f.status()) {
                case 404 -> throw CommandFailure.of(ExitCode.NOT_FOUND, f.error());
                case 503 -> throw CommandFailure.of(ExitCode.COMMUNICATION, f.error());
                case 504 -> {
                    if (!f.body().isBlank()) {
                        print(parse(api, f.body()));
                    }
                    throw CommandFailure.of(ExitCode.COMMUNICATION, f.error());
                }
                default -> throw api.failure(reply);
            }
        }
        throw api.failure(reply);
    }

    /** {@code --} must come right before the command, so that its options are never taken for ours. */
    private void checkUsage() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int dashes = args.indexOf("--");
        if (dashes < 0 || !args.subList(dashes + 1, args.size()).equals(command)) {
            throw new ParameterException(spec.commandLine(), "put '--' before the command, e.g. lcdremexec -d "
                    + server + " -- " + String.join(" ", command));
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
            throw new ParameterException(spec.commandLine(), "-t " + timeoutSeconds + ": the timeout must be 1 to "
                    + MAX_TIMEOUT_SECONDS + " seconds");
        }
    }

    private String requestBody() {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("server", server);
        body.putArray("command").addAll(command.stream().map(w -> Json.mapper().getNodeFactory().textNode(w)).toList());
        if (timeoutSeconds != null) {
            body.put("timeoutSeconds", timeoutSeconds);
        }
        body.put("mergeStderr", !separateStderr);
        return body.toString();
    }

    /** The command's output: stdout here, stderr on stderr (empty unless -e). */
    private void print(JsonNode body) {
        ctx.out().print(body.path("stdout").asText(""));
        ctx.out().flush();
        ctx.err().print(body.path("stderr").asText(""));
        ctx.err().flush();
    }

    private static JsonNode parse(AdminClient api, String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw CommandFailure.of(ExitCode.INTERNAL, "the admin API on " + api.address()
                    + " answered something that is not JSON: " + e.getOriginalMessage());
        }
    }
}
