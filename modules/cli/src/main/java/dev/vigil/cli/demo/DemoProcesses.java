package dev.vigil.cli.demo;

import dev.vigil.cli.CliContext;
import dev.vigil.cli.DaemonLauncher;
import dev.vigil.cli.DaemonLauncher.Launched;
import dev.vigil.cli.DaemonPid;
import dev.vigil.cli.LkGuiServer;
import dev.vigil.cli.Main;
import dev.vigil.cli.ServiceManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one demo and their end. It starts the three daemons the way lkstart starts
 * one ({@link DaemonLauncher}) and the GUI server with lkGUIserver; each daemon starts its own
 * fencing guard, and the PostgreSQL kit of the owner starts PostgreSQL. {@link #stopAll} ends
 * every one of them, also a daemon the operator started again meanwhile ({@code lkstart -c
 * DIR/n1/vigil.conf}): in order first (lkstop of the server running the hierarchy, which takes
 * PostgreSQL out of service and ends its guard; then of the others), then SIGKILL by PID for
 * whatever is left. The commands run in this JVM with a systemd-less context: no lkstop here can
 * touch the machine's own vigil.service.
 */
final class DemoProcesses {
    private static final Duration GUI_STOP_WAIT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final DemoLayout layout;
    private final DemoOutput out;
    private final CliContext ctx;
    private final Map<String, Launched> daemons = new LinkedHashMap<>();
    private boolean stopped;

    DemoProcesses(DemoLayout layout, DemoOutput out, CliContext ctx) {
        this.layout = layout;
        this.out = out;
        this.ctx = ctx;
    }

    /** A daemon that did not come up, and what it said. */
    record StartFailure(String server, String message) {
    }

    /** Starts the three daemons at once (each JVM takes seconds to start: they start in parallel). */
    synchronized void launch(Path vigild) {
        if (stopped) {
            return;
        }
        for (String server : DemoLayout.SERVERS) {
            daemons.put(server, DaemonLauncher.launch(vigild, layout.config(server), layout.stateDir(server)));
        }
    }

    /** The first daemon this demo started that has exited since, with what it said. */
    synchronized Optional<StartFailure> exited() {
        return daemons.entrySet().stream().filter(e -> !e.getValue().process().isAlive()).findFirst()
                .map(e -> new StartFailure(e.getKey(), e.getValue().exitReport()));
    }

    /** What a command run in this JVM printed, and its exit code. */
    record Run(int exit, String output) {
    }

    /** Runs {@code args} (lkstop, lkGUIserver, lcdstatus …) here, its output captured. */
    Run command(String... args) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        int exit = Main.run(args, new CliContext(w, w, ctx.env(), ServiceManager.none(), ctx.zone()));
        w.flush();
        return new Run(exit, text.toString().stripTrailing());
    }

    /** lkGUIserver start for {@code server}: its words, and whether it runs. */
    Run startGui(String server) {
        return command("lkGUIserver", "start", "-c", layout.config(server).toString());
    }

    /** The live daemon of {@code server}: ours, or one the operator started again. */
    OptionalLong daemonPid(String server) {
        return DaemonPid.live(layout.stateDir(server));
    }

    /** Ends everything; {@code owner}: where the hierarchy was last seen in service, stopped first. */
    void stopAll(Optional<String> owner) {
        synchronized (this) {
            stopped = true;
        }
        stopGuis();
        List<String> order = new ArrayList<>();
        owner.ifPresent(order::add);
        DemoLayout.SERVERS.stream().filter(s -> !order.contains(s)).forEach(order::add);
        List<String> running = order.stream().filter(s -> daemonPid(s).isPresent()).toList();
        if (!running.isEmpty()) {
            // The owner alone first: stopping a standby first could leave the owner without a majority.
            lkstop(running.subList(0, 1));
            lkstop(running.subList(1, running.size()));
        }
        killLeftovers();
    }

    private void stopGuis() {
        for (String server : DemoLayout.SERVERS) {
            OptionalLong pid = DaemonPid.readFile(layout.stateDir(server).resolve(LkGuiServer.PID_FILE));
            if (pid.isPresent() && DaemonPid.isVigil(pid.getAsLong())) {
                ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroy);
                if (!DaemonPid.awaitExit(pid.getAsLong(), GUI_STOP_WAIT)) {
                    ProcessHandle.of(pid.getAsLong()).ifPresent(DemoProcesses::killTree);
                }
                out.line("  GUI server of " + server + " (pid " + pid.getAsLong() + ") stopped");
            }
        }
    }

    /** lkstop on each of {@code servers} at once, each line of theirs shown under its server. */
    private void lkstop(List<String> servers) {
        List<Thread> threads = new ArrayList<>();
        for (String server : servers) {
            Thread t = new Thread(() -> {
                Run r = command("lkstop", "-c", layout.config(server).toString());
                r.output().lines().forEach(l -> out.line("  " + server + ": " + l));
            }, "demo-lkstop-" + server);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SIGKILL for every daemon, guard and postmaster of the demo still running (a hung lkstop, a crash). */
    private void killLeftovers() {
        for (String server : DemoLayout.SERVERS) {
            // Read first: the guard is a child of its daemon until the daemon is gone.
            OptionalLong guard = DaemonPid.readFile(layout.stateDir(server).resolve("guard.pid"));
            kill(daemonPid(server), "daemon of " + server);
            synchronized (this) {
                Launched ours = daemons.get(server);
                if (ours != null && ours.process().isAlive()) {
                    kill(OptionalLong.of(ours.process().pid()), "daemon of " + server);
                }
            }
            kill(guard.isPresent() && DaemonPid.isVigil(guard.getAsLong()) ? guard : OptionalLong.empty(),
                    "fencing guard of " + server);
        }
        DemoPostgres.kill(layout.dataDir()).ifPresent(pid -> out.line("  killed PostgreSQL (postmaster pid " + pid + ")"));
    }

    private void kill(OptionalLong pid, String what) {
        if (pid.isPresent() && DaemonPid.alive(pid.getAsLong())) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(DemoProcesses::killTree);
            out.line("  killed the " + what + " (pid " + pid.getAsLong() + ")");
        }
    }

    /** SIGKILL to a process and its descendants; waits until they are gone. */
    static void killTree(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.add(h);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Still there after SIGKILL (uninterruptible I/O): nothing more can be done from here.
            }
        }
    }
}
