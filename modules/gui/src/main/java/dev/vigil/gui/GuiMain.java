package dev.vigil.gui;

import com.typesafe.config.ConfigFactory;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.VigilConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The GUI server process, {@code bin/vigil-gui --config FILE} (what {@code lkGUIserver start}
 * runs in the background): loads the server's configuration, binds the GUI on
 * {@code gui.bind:gui.port}, writes {@code <state-dir>/gui.pid} and runs until stopped (SIGTERM).
 * Exit codes: 0 stopped, 1 the port cannot be bound, 2 the configuration is wrong.
 */
public final class GuiMain {
    public static final String PID_FILE = "gui.pid";

    private GuiMain() {
    }

    private static final String USAGE = """
            Usage: vigil-gui [-c FILE]
            Run the Vigil GUI server of this server in the foreground: the web GUI, its REST API
            (/api/v1) and the online manual (/help/) on vigil.gui.bind:vigil.gui.port (81).
            lkGUIserver start runs it in the background.
              -c, --config FILE   Configuration file (default: $VIGIL_CONF, else /etc/vigil/vigil.conf).
              -h, --help          Show this help and exit.
            Exit status: 0 stopped, 1 the port cannot be bound, 2 bad usage or configuration.
            """;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.print(USAGE);
            return;
        }
        if (args.length != 0 && !(args.length == 2 && (args[0].equals("-c") || args[0].equals("--config")))) {
            System.err.println("vigil-gui: unexpected arguments " + String.join(" ", args));
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Path file = configFile(args);
        VigilConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Warnings and errors only on the console (gui.out under lkGUIserver); what operators read is the GUI log.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        GuiLog log = new GuiLog(config.logs(), config.serverName());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "vigil-gui", ConfigFactory.parseString(
                "pekko.loglevel = WARNING\npekko.http.server.remote-address-attribute = on\n"
                        + "pekko.http.server.idle-timeout = infinite\n").withFallback(ConfigFactory.load()));
        GuiServer server = new GuiServer(system, config, log);
        ServerBinding binding;
        try {
            binding = server.bind().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            System.err.println("vigil-gui: cannot listen on " + config.gui().bind() + ":" + config.gui().port() + ": " + why);
            log.warn("GUI server cannot listen on " + config.gui().bind() + ":" + config.gui().port() + ": " + why);
            system.terminate();
            System.exit(1);
            return;
        }
        Path pid = config.stateDir().resolve(PID_FILE);
        writePid(pid);
        log.info("GUI server started on " + config.gui().bind() + ":" + binding.localAddress().getPort()
                + " (pid " + ProcessHandle.current().pid() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            binding.terminate(GuiServer.DRAIN);
            server.close();
            log.info("GUI server stopped");
            try {
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                System.err.println("vigil-gui: cannot remove " + pid + ": " + e.getMessage());
            }
            system.terminate();
        }, "vigil-gui-stop"));
        system.getWhenTerminated().toCompletableFuture().join();
    }

    private static Path configFile(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--config") || args[i].equals("-c")) {
                return Path.of(args[i + 1]);
            }
        }
        String env = System.getenv("VIGIL_CONF");
        return env == null || env.isBlank() ? ConfigLoader.DEFAULT_FILE : Path.of(env);
    }

    private static void writePid(Path pid) throws IOException {
        Files.createDirectories(pid.getParent());
        Files.writeString(pid, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    }
}
