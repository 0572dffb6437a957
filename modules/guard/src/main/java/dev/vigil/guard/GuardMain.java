package dev.vigil.guard;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fencing guard: a small process per server, separate from the daemon, that stops the
 * protected resources when the daemon stops proving it is entitled to run them (a frozen,
 * killed or partitioned daemon cannot keep PostgreSQL running on a disk another server is about
 * to take over). Started detached by {@link GuardClient}, with a small heap and the serial
 * collector so that its own pauses stay far below the safety margin; it ignores SIGTERM/SIGINT/
 * SIGHUP (its launcher sets them to ignored) and exits only when told to while nothing is armed.
 *
 * <p>Usage: {@code GuardMain --socket PATH --pid-file PATH --log PATH --server NAME}
 */
public final class GuardMain {

    static final String USAGE = "usage: dev.vigil.guard.GuardMain --socket PATH --pid-file PATH --log PATH --server NAME";

    private GuardMain() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = parse(args);
        if (opts == null) {
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Path socket = Path.of(opts.get("--socket"));
        Path pidFile = Path.of(opts.get("--pid-file"));
        GuardLog log = new GuardLog(Path.of(opts.get("--log")), opts.get("--server"), System.err);
        if (GuardServer.answering(socket)) {
            log.error("another guard already serves " + socket + "; not starting a second one");
            System.exit(2);
            return;
        }
        GuardCore core = new GuardCore(log);
        GuardServer server = new GuardServer(socket, core, log, () -> {
            log.info("vigil guard exiting on request of the daemon (nothing armed)" + GuardLog.at());
            remove(socket);
            remove(pidFile);
            System.exit(0);
        });
        core.warmUp();
        ServerSocketChannel channel;
        try {
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            channel = server.bind();
        } catch (IOException e) {
            log.error("cannot start: " + e.getMessage());
            remove(pidFile);
            System.exit(1);
            return;
        }
        String oom = protectFromOomKiller();
        Thread watchdog = new Thread(core::watch, "vigil-guard-watchdog");
        watchdog.setDaemon(true);
        watchdog.setPriority(Thread.MAX_PRIORITY);
        watchdog.start();
        log.info("vigil guard started on server \"" + opts.get("--server") + "\" (pid " + ProcessHandle.current().pid()
                + ", socket " + socket + oom + ")" + GuardLog.at());
        try {
            server.serve(channel);
        } catch (IOException e) {
            log.error("guard socket failed: " + e.getMessage() + "; exiting" + (core.idle() ? ""
                    : " WITH NAMES ARMED: their resources are no longer guarded"));
            System.exit(1);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        List<String> known = List.of("--socket", "--pid-file", "--log", "--server");
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length || args[i + 1].isBlank()) {
                return null;
            }
            opts.put(args[i], args[i + 1]);
        }
        return opts.keySet().containsAll(known) ? opts : null;
    }

    /** The kernel's OOM killer must not pick the guard: it is what protects the data. */
    private static String protectFromOomKiller() {
        try {
            Files.writeString(Path.of("/proc/self/oom_score_adj"), "-1000");
            return ", exempt from the OOM killer";
        } catch (IOException e) {
            return ", NOT exempt from the OOM killer: " + e.getMessage();
        }
    }

    private static void remove(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing left to tell anyone: the guard is exiting
        }
    }
}
