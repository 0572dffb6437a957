package dev.vigil.cli;

import dev.vigil.cli.demo.VigilDemo;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The single entry of every command: {@code Main <command> args…}, called by the bin scripts
 * ({@code bin/lcdstatus} runs {@code Main lcdstatus "$@"}). Builds only the command asked for,
 * and turns every outcome into one of the documented exit codes: wrong usage prints one line
 * and the usage (exit 2), an expected failure its message, and even a bug prints one line
 * rather than a stack trace.
 */
public final class Main {
    /** The command names, as the bin scripts call them. */
    public static final List<String> COMMANDS = List.of("lkstart", "lkstop", "lcdstatus", "lk_log", "perform_action",
            "lcdremexec", "lkpasswd", "lkGUIserver", "lkGUIapp",
            "lk_configsnmp", "vigil");

    private Main() {
    }

    public static void main(String[] args) {
        CliContext ctx = CliContext.system();
        int code = run(args, ctx);
        ctx.out().flush();
        ctx.err().flush();
        System.exit(code);
    }

    /** Runs one command in this JVM and returns its exit code (tests call this directly). */
    public static int run(String[] args, CliContext ctx) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            ctx.err().println("vigil-cli: " + (args.length == 0 ? "missing command" : "unknown command '" + args[0] + "'")
                    + "; commands: " + String.join(", ", COMMANDS));
            ctx.err().flush();
            return ExitCode.USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("lcdstatus")) {
            LcdStatus plain = LcdStatusFastPath.parse(rest, ctx);
            if (plain != null) {
                return runParsed("lcdstatus", plain, ctx);
            }
        }
        return execute(commandLine(args[0], ctx), rest, ctx);
    }

    /** Runs a command whose arguments were parsed without picocli, with the same outcome handling. */
    static int runParsed(String name, Callable<Integer> command, CliContext ctx) {
        int code;
        try {
            code = command.call();
        } catch (Exception e) {
            ctx.out().flush();
            code = report(name, e, ctx.err());
        }
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** Runs an already built command with this class's error handling. */
    static int execute(CommandLine cl, String[] args, CliContext ctx) {
        // Set after the subcommands are added, so that they apply to them too.
        cl.setOut(ctx.out()).setErr(ctx.err())
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::failure);
        int code = cl.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    static CommandLine commandLine(String name, CliContext ctx) {
        return switch (name) {
            case "lkstart" -> new CommandLine(new LkStart(ctx));
            case "lkstop" -> new CommandLine(new LkStop(ctx));
            case "lcdstatus" -> new CommandLine(new LcdStatus(ctx));
            case "lk_log" -> new CommandLine(new LkLog(ctx));
            case "lk_configsnmp" -> new CommandLine(new LkConfigSnmp(ctx));
            case "perform_action" -> new CommandLine(new PerformAction(ctx));
            // The remote command's words are passed on as they are: no @file expansion.
            case "lcdremexec" -> new CommandLine(new LcdRemExec(ctx)).setExpandAtFiles(false);
            case "lkpasswd" -> new CommandLine(new LkPasswd(ctx, LkPasswd.PasswordSource.system(ctx)));
            case "lkGUIserver" -> new CommandLine(new LkGuiServer(ctx));
            case "lkGUIapp" -> new CommandLine(new LkGuiApp(ctx));
            case "vigil" -> new CommandLine(new VigilCommand())
                    .addSubcommand("check-config", new CheckConfig(ctx))
                    .addSubcommand("status", new VigilStatus(ctx))
                    .addSubcommand("shutdown-strategy", new VigilShutdownStrategy(ctx))
                    .addSubcommand("maintenance", new VigilMaintenance(ctx))
                    .addSubcommand("log", renamed(new CommandLine(new LkLog(ctx)), "log"))
                    .addSubcommand("switchover", new VigilSwitchover(ctx))
                    .addSubcommand("demo", new VigilDemo(ctx));
            default -> throw new IllegalArgumentException("unknown command " + name);
        };
    }

    /** The same command under another name ({@code lk_log} as {@code vigil log}), in messages too. */
    private static CommandLine renamed(CommandLine cl, String name) {
        cl.getCommandSpec().name(name);
        return cl;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        CommandLine.Help help = cl.getHelp();
        err.println(name + ": " + ex.getMessage());
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Try '" + name + " --help' for more information.");
        return ExitCode.USAGE;
    }

    private static int failure(Exception ex, CommandLine cl, ParseResult parsed) {
        cl.getOut().flush();
        return report(cl.getCommandSpec().qualifiedName(), ex, cl.getErr());
    }

    /** Prints what ended command {@code name} and returns its exit code. */
    private static int report(String name, Exception ex, PrintWriter err) {
        if (ex instanceof CommandFailure f) {
            for (String line : f.lines()) {
                err.println(f.bare() ? line : name + ": " + line);
            }
            return f.exitCode();
        }
        err.println(name + ": internal error: " + ex);
        return ExitCode.INTERNAL;
    }
}
