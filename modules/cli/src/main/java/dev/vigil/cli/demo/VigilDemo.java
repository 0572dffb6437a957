package dev.vigil.cli.demo;

import dev.vigil.cli.AdminClient;
import dev.vigil.cli.CliContext;
import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.ConfigOption;
import dev.vigil.cli.DaemonLauncher;
import dev.vigil.cli.ExitCode;
import dev.vigil.cli.HelpOption;
import dev.vigil.cli.demo.DemoProcesses.StartFailure;
import dev.vigil.core.LogType;
import dev.vigil.core.users.Role;
import dev.vigil.core.users.UserFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil demo}: the product in one command on one machine. Three daemons of this
 * installation on loopback ports protect a PostgreSQL instance made by initdb in a new directory;
 * the demo waits until it is in service, prints the status, the addresses and what to try, and
 * then watches the cluster and says what happens (a daemon killed, the failover, with its time)
 * until Ctrl-C, when a shutdown hook stops everything it started and removes the directory. A
 * demo that cannot come up stops what it had started as well, and says why.
 */
@Command(name = "demo", sortOptions = false, separator = " ",
        customSynopsis = "${COMMAND-FULL-NAME} [--dir DIR] [--base-port N] [--keep] [--pg-bin DIR] [--pg-user USER]",
        description = {"Start three Vigil servers on this machine (127.0.0.1) protecting a PostgreSQL instance that "
                + "initdb creates in a new directory; print the status, the addresses and what to try (kill the active "
                + "daemon and watch the failover); then report what happens until Ctrl-C, which stops every process the "
                + "demo started and removes the directory.",
                "Run as root, PostgreSQL runs as the OS user postgres (or --pg-user); run as another user, as that user."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"130:stopped with Ctrl-C (SIGINT; 143 with SIGTERM), everything it started stopped",
                "1:the demo could not come up (no PostgreSQL programs, a port in use, initdb or a daemon failed); "
                        + "what it had started is stopped again",
                "2:bad option"})
public final class VigilDemo implements Callable<Integer> {
    private static final Duration IN_SERVICE_WAIT = Duration.ofSeconds(180);
    private static final long POLL_MILLIS = 200;
    private static final int LOG_TAIL_LINES = 15;
    /** The lowest priority: its GUI keeps working while the operator kills the others. */
    static final String GUI_SERVER = "n3";
    static final String GUI_USER = "demo";

    private final CliContext ctx;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile DemoLayout layout;
    private volatile boolean dirCreated;
    private volatile DemoProcesses processes;
    private volatile DemoWatch watch;
    private DemoOutput out;
    private Thread stopHook;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--dir", paramLabel = "DIR", description = "The demo's directory: new, or empty (default: a new "
            + "directory under the system's temporary directory). Removed at the end unless --keep.")
    Path dirOption;

    @Option(names = "--base-port", paramLabel = "N", description = "First of the 34 loopback ports used: PostgreSQL on N, "
            + "server nI on N+I (cluster), N+10+I (admin API), N+20+I (UDP heartbeats), N+30+I (GUI). Default: 25432.")
    int basePort = DemoPorts.DEFAULT_BASE;

    @Option(names = "--keep", description = "Keep the directory (configurations, logs, PostgreSQL data) at the end.")
    boolean keep;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Directory of initdb, pg_ctl and postgres (default: "
            + "the newest of /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, /usr/local/pgsql/bin, then $PATH).")
    Path pgBinOption;

    @Option(names = "--pg-user", paramLabel = "USER", description = "OS user that runs PostgreSQL when the demo runs as "
            + "root (default: postgres).")
    String pgUserOption;

    public VigilDemo(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        DemoOptions options = DemoOptions.check(spec.commandLine(), dirOption, basePort, pgBinOption, pgUserOption);
        out = new DemoOutput(ctx.out(), ctx.err(), ctx.zone());
        options.ports().checkFree();
        Path vigild = DaemonLauncher.vigild(ctx, "vigil demo");
        Path pgBin = options.pgBin().orElseGet(() -> DemoPostgres.findBin(DemoPostgres.SEARCHED, ctx.env().get("PATH")));
        layout = new DemoLayout(makeDir(options.dir()), options.ports());
        stopHook = new Thread(this::stop, "vigil-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
        try {
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            String owner = bringUp(vigild, pgBin, options, password, start);
            showAround(owner, pgBin, password);
        } catch (CommandFailure f) {
            return failed(f.lines(), Optional.empty());
        } catch (StartFailed f) {
            return failed(List.of(f.getMessage()), Optional.of(f.server));
        } catch (RuntimeException bug) {
            stop();
            throw bug;
        }
        while (!stopping.get()) {
            watch.poll();
            pause();
        }
        return ExitCode.OK;
    }

    /** initdb, configurations, the daemons; returns once the hierarchy is in service (the server). */
    private String bringUp(Path vigild, Path pgBin, DemoOptions options, String password, long start) {
        out.line("vigil demo: three Vigil servers on this machine protecting one PostgreSQL instance");
        out.line("  directory   " + layout.dir() + (keep ? " (kept at the end: --keep)" : " (removed at the end)"));
        DemoPorts ports = layout.ports();
        out.line("  PostgreSQL  " + pgBin + ", run as OS user " + options.pgUser() + ", on 127.0.0.1:" + ports.pg());
        out.line("  servers     " + String.join(", ", DemoLayout.SERVERS) + " on 127.0.0.1: cluster ports "
                + ports.range(ports::cluster) + ", admin API " + ports.range(ports::admin) + ", UDP heartbeats "
                + ports.range(ports::heartbeat));
        long t = System.nanoTime();
        DemoPostgres.initdb(layout, pgBin, options.pgUser(), options.asOtherUser(), password);
        out.line("initdb: PostgreSQL " + DemoPostgres.version(layout) + " data directory " + layout.dataDir()
                + " (" + seconds(System.nanoTime() - t) + ")");
        Map<String, AdminClient> apis = writeConfigs(pgBin, options.pgUser(), password);
        watch = new DemoWatch(layout, apis, out);
        processes = new DemoProcesses(layout, out, ctx);
        out.line("starting the daemons: " + vigild + " --config " + layout.dir() + "/nI/vigil.conf (output in "
                + layout.dir() + "/nI/state/daemon.out, logs in " + layout.dir() + "/nI/log)");
        processes.launch(vigild);
        long deadline = System.nanoTime() + IN_SERVICE_WAIT.toNanos();
        while (true) {
            DemoWatch.Snapshot now = watch.poll();
            if (now.owner().isPresent()) {
                out.line(DemoLayout.TAG + " is in service on " + now.owner().get() + ", "
                        + seconds(System.nanoTime() - start) + " after the start of vigil demo.");
                return now.owner().get();
            }
            Optional<StartFailure> exited = processes.exited();
            if (exited.isPresent()) {
                throw new StartFailed(exited.get().server(), exited.get().server() + ": " + exited.get().message());
            }
            if (!now.failed().isEmpty()) {
                String server = now.failed().keySet().iterator().next();
                throw new StartFailed(server, DemoLayout.TAG + " failed on " + server + ": " + now.failed().get(server));
            }
            if (System.nanoTime() > deadline) {
                String server = DemoLayout.SERVERS.get(0);
                throw new StartFailed(server, DemoLayout.TAG + " did not come in service within "
                        + IN_SERVICE_WAIT.toSeconds() + " s; see " + layout.logDir(server) + " and "
                        + layout.stateDir(server).resolve("daemon.out"));
            }
            pause();
        }
    }

    /** The three configurations (checked as the daemons will check them) and the GUI user; the admin clients. */
    private Map<String, AdminClient> writeConfigs(Path pgBin, String pgUser, String password) {
        Map<String, AdminClient> apis = new LinkedHashMap<>();
        try {
            for (String server : DemoLayout.SERVERS) {
                Files.createDirectories(layout.home(server));
                Files.writeString(layout.config(server), layout.configText(server, pgBin, pgUser));
                apis.put(server, new AdminClient(ConfigOption.load(layout.config(server)).admin()));
            }
            UserFile.read(layout.guiUsers()).put(GUI_USER, Role.ADMINISTRATOR, password.toCharArray());
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot write the demo's configuration in " + layout.dir() + ": " + e);
        }
        return apis;
    }

    /** Status, GUI, addresses and what to try, once the hierarchy is in service. */
    private void showAround(String owner, Path pgBin, String password) {
        out.line("");
        out.line(processes.command("lcdstatus", "-q", "-c", layout.config(owner).toString()).output());
        out.line("");
        DemoProcesses.Run gui = processes.startGui(GUI_SERVER);
        new DemoGuide(layout, ctx, pgBin).print(out, owner, processes.daemonPid(owner), gui, password, keep);
    }

    private int failed(List<String> why, Optional<String> server) {
        if (stopping.get()) {
            return ExitCode.SYSTEM;
        }
        why.forEach(l -> out.error("vigil demo: " + l));
        server.ifPresent(s -> {
            Path log = layout.logDir(s).resolve(LogType.LOG.fileName());
            if (Files.exists(log)) {
                out.error("last lines of " + log + ":");
                DemoFiles.tail(log, LOG_TAIL_LINES).forEach(l -> out.error("  " + l));
            }
        });
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting anyway; the hook finds everything stopped.
        }
        return ExitCode.SYSTEM;
    }

    /** Stops everything the demo started and removes its directory (unless --keep); runs once. */
    private void stop() {
        if (!stopping.compareAndSet(false, true) || layout == null) {
            return;
        }
        out.stopEvents();
        out.line("");
        out.line("vigil demo: stopping everything it started");
        if (processes != null) {
            processes.stopAll(watch == null ? Optional.empty() : watch.owner());
        } else {
            DemoPostgres.kill(layout.dataDir());
        }
        if (keep) {
            out.line("kept " + layout.dir() + " (--keep)");
        } else {
            DemoFiles.delete(layout.dir(), dirCreated).ifPresentOrElse(out::error, () -> out.line("removed " + layout.dir()));
        }
    }

    private Path makeDir(Optional<Path> given) {
        try {
            if (given.isEmpty()) {
                dirCreated = true;
                return Files.createTempDirectory("vigil-demo-");
            }
            dirCreated = !Files.exists(given.get());
            return Files.createDirectories(given.get());
        } catch (IOException e) {
            throw CommandFailure.of(ExitCode.SYSTEM, "cannot create the demo directory: " + e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The demo did not come up because of {@code server}: its log is worth showing. */
    private static final class StartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String server;

        StartFailed(String server, String message) {
            super(message, null, false, false);
            this.server = server;
        }
    }
}
