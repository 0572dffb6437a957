package dev.vigil.daemon;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.ConfigProblem;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.api.AdminToken;
import dev.vigil.daemon.notify.LogSetup;
import dev.vigil.daemon.notify.OperatorLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code vigild [--config FILE]}: the daemon in the foreground. Loads and validates the
 * configuration (refusing to start, exit 2, with every problem on stderr), points the seven logs
 * at their files, writes the pid file and a fresh admin token, then runs the {@link Daemon} until
 * it stops for good and exits with its code (0 after an ordinary stop).
 */
public final class Main {
    static final String USAGE = "usage: vigild [--config FILE]   (default " + ConfigLoader.DEFAULT_FILE + ")";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the daemon; returns the exit code instead of exiting (tests call this). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile = ConfigLoader.DEFAULT_FILE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (arg.equals("--config") || arg.equals("-c")) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    return usageError(err, "option " + arg + " needs a file name");
                }
                configFile = Path.of(args[++i]);
            } else if (arg.startsWith("--config=")) {
                configFile = Path.of(arg.substring("--config=".length()));
            } else {
                return usageError(err, (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'");
            }
        }

        VigilConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println("vigild: " + p);
            }
            return 2;
        }

        try {
            LogSetup.configure(config.logs(), config.serverName());
        } catch (IOException e) {
            err.println("vigild: cannot create the log directory " + config.logs().dir() + ": " + e);
            return 1;
        }
        OperatorLog log = new OperatorLog(config.serverName());
        Path pidFile = PidFile.in(config.stateDir());
        String token = AdminToken.generate();
        try {
            PidFile.write(pidFile);
            AdminToken.write(config.admin().tokenFile(), token);
        } catch (IOException e) {
            String why = "cannot write the pid file " + pidFile + " or the admin token file "
                    + config.admin().tokenFile() + ": " + e;
            err.println("vigild: " + why);
            log.startupFailed(why);
            PidFile.remove(pidFile);
            return 1;
        }

        out.println("vigild: starting server \"" + config.serverName() + "\" of cluster \"" + config.cluster().name()
                + "\" (config " + configFile + ", logs in " + config.logs().dir() + ")");
        Daemon daemon;
        try {
            daemon = Daemon.start(config, token, () -> PidFile.remove(pidFile));
        } catch (RuntimeException e) {
            String why = "cannot start the cluster member on " + config.localServer().host() + ":"
                    + config.localServer().port() + ": " + rootMessage(e);
            err.println("vigild: " + why);
            log.startupFailed(why);
            PidFile.remove(pidFile);
            return 1;
        }
        return daemon.whenStopped().toCompletableFuture().join();
    }

    private static int usageError(PrintStream err, String message) {
        err.println("vigild: " + message);
        err.println(USAGE);
        return 2;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
