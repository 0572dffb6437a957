package dev.vigil.cli;

import dev.vigil.core.config.GuiSettings;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lkGUIserver start|stop|status}: the web GUI server of this server, a process of its own
 * ({@code bin/vigil-gui}) apart from the daemon, on {@code vigil.gui.port} (81). {@code start}
 * runs it in the background and waits until it listens; {@code stop} ends it (SIGTERM) and waits;
 * {@code status} says whether it runs and where.
 */
@Command(name = "lkGUIserver", sortOptions = false,
        customSynopsis = "${COMMAND-FULL-NAME} start|stop|status [-c FILE]",
        description = {"Start, stop or show the Vigil GUI server of this server (the web GUI and its REST API on "
                + "vigil.gui.port, 81 by default). It talks to the local daemon; open http://SERVER:81/ in a browser."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done (start: it runs; stop: it is stopped; status: it runs)",
                "1:start failed (e.g. the port is taken), stop timed out, or status: it is not running",
                "2:bad argument or unusable configuration"})
public final class LkGuiServer implements Callable<Integer> {
    public static final String PID_FILE = "gui.pid";
    public static final String OUTPUT_FILE = "gui.out";
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "start|stop|status", description = "What to do.")
    String what;

    public LkGuiServer(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (!List.of("start", "stop", "status").contains(what)) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + what + "'; use start, stop or status");
        }
        Path file = config.path(ctx);
        VigilConfig c = config.load(ctx);
        Path pidFile = c.stateDir().resolve(PID_FILE);
        OptionalLong pid = DaemonPid.readFile(pidFile);
        boolean running = pid.isPresent() && DaemonPid.isVigil(pid.getAsLong());
        String url = LkGuiApp.url(c);
        return switch (what) {
            case "status" -> {
                ctx.out().println(running ? "GUI server running (pid " + pid.getAsLong() + ") on " + url
                        : "GUI server is not running");
                yield running ? ExitCode.OK : ExitCode.SYSTEM;
            }
            case "stop" -> stop(running, pid);
            default -> running ? alreadyRunning(pid.getAsLong(), url) : start(c, file, pidFile, url);
        };
    }

    private int alreadyRunning(long pid, String url) {
        ctx.out().println("GUI server already running (pid " + pid + ") on " + url);
        return ExitCode.OK;
    }

    private int stop(boolean running, OptionalLong pid) {
        if (!running) {
            ctx.out().println("GUI server is not running");
            return ExitCode.OK;
        }
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroy);
        if (!DaemonPid.awaitExit(pid.getAsLong(), STOP_WAIT)) {
            throw CommandFailure.of(ExitCode.SYSTEM, "GUI server (pid " + pid.getAsLong() + ") did not stop within "
                    + STOP_WAIT.toSeconds() + " s");
        }
        ctx.out().println("GUI server stopped");
        return ExitCode.OK;
    }

    private int start(VigilConfig c, Path configFile, Path pidFile, String url) throws IOException {
        Path home = ctx.vigilHome().orElseThrow(() -> CommandFailure.of(ExitCode.SYSTEM,
                "cannot find the Vigil installation: set VIGIL_HOME (bin/lkGUIserver sets it)"));
        Path program = home.resolve("bin/vigil-gui");
        if (!Files.isExecutable(program)) {
            throw CommandFailure.of(ExitCode.SYSTEM, program + " is missing or not executable");
        }
        Files.createDirectories(c.stateDir());
        Path output = c.stateDir().resolve(OUTPUT_FILE);
        Process p = new ProcessBuilder(program.toString(), "--config", configFile.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile())).start();
        GuiSettings gui = c.gui();
        String host = gui.bind().equals("0.0.0.0") ? "127.0.0.1" : gui.bind();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String out = Files.exists(output) ? Files.readString(output).strip() : "";
                // Its own one-line reason if it gave one, else the last line it wrote.
                String why = out.lines().filter(l -> l.startsWith("vigil-gui: ")).reduce((a, b) -> b)
                        .or(() -> out.lines().reduce((a, b) -> b)).orElse("");
                throw CommandFailure.of(ExitCode.SYSTEM, "GUI server did not start (exit code " + p.exitValue() + ")"
                        + (why.isEmpty() ? "" : ": " + why) + "; see " + output);
            }
            // Its own pid in the pid file: GuiMain writes it once bound (a port merely answering may be another program's).
            if (DaemonPid.readFile(pidFile).equals(OptionalLong.of(p.pid())) && listens(host, gui.port())) {
                ctx.out().println("GUI server started (pid " + p.pid() + ") on " + url);
                return ExitCode.OK;
            }
            Sleep.brief();
        }
        p.destroy();
        throw CommandFailure.of(ExitCode.SYSTEM, "GUI server did not listen on port " + gui.port() + " within "
                + START_WAIT.toSeconds() + " s; see " + output);
    }

    private static boolean listens(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
