package dev.vigil.guard;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.ProcStat;
import dev.vigil.guard.fence.Tokens;
import dev.vigil.core.config.LeaseTimings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon's side of its guard: starts the guard process if it is not running, connects, and
 * sends ARM / FEED / FENCE / DISARM. Every call blocks for at most the request timeout and
 * answers with a {@link GuardReply}; call it off the actor threads. While connected, a heartbeat
 * thread tells the guard the daemon is alive (ALIVE), which is what separates "alive but no longer
 * entitled" (resources fenced) from "frozen" (resources fenced and the daemon killed).
 *
 * <p>Closing the connection while something is armed makes the guard fence it: disarm first.
 */
public final class GuardClient implements AutoCloseable {

    /** How to start the guard JVM. */
    public record Launch(Path java, String classPath, List<String> jvmOptions) {
        /** The guard's JVM: small heap, serial collector, no JIT tiers it does not need. */
        public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms8m", "-Xmx32m", "-Xss512k",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true");

        /** The JVM and classpath of the calling process (the daemon's lib/ holds the guard jar). */
        public static Launch ofThisJvm() {
            return new Launch(Path.of(System.getProperty("java.home"), "bin", "java"),
                    System.getProperty("java.class.path"), DEFAULT_JVM_OPTIONS);
        }
    }

    private static final String EOF = "\u0000eof";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** With nothing armed, the daemon says ALIVE once every this many heartbeat intervals. */
    static final int IDLE_HEARTBEATS = 10;

    private final Path socket;
    private final Path pidFile;
    private final Path logFile;
    private final String server;
    private final Launch launch;
    private SocketChannel channel;
    private BlockingQueue<String> replies;
    private volatile Thread heartbeat;
    private int unanswered;
    /** The guard does not answer FEED and ALIVE on this connection (HELLO ... quiet was accepted). */
    private volatile boolean quiet;
    /** When the last request was written: every request tells the guard the daemon is alive. */
    private volatile long lastSentNanos = System.nanoTime();
    /** Names armed through this client: while any is, the guard needs to hear from the daemon often. */
    private final Set<String> armed = ConcurrentHashMap.newKeySet();

    public GuardClient(Path socket, Path pidFile, Path logFile, String server, Launch launch) {
        this.socket = socket;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.server = server;
        this.launch = launch;
    }

    /** The PID of the guard running for this pid file, if one does. */
    public Optional<Long> runningGuard() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().arguments().map(a -> List.of(a).contains(GuardMain.class.getName()))
                            .orElse(false))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the guard detached (own session, shutdown signals ignored, output to
     * {@code <log>.out}) unless one is running, and waits until it answers on its socket.
     */
    public GuardReply start(Duration timeout) {
        Optional<Long> running = runningGuard();
        if (running.isPresent()) {
            return GuardServer.answering(socket) ? new GuardReply(true, "guard already running (pid " + running.get() + ")")
                    : GuardReply.error("guard pid " + running.get() + " is running but does not answer on " + socket);
        }
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "trap '' TERM INT HUP; exec setsid \"$0\" \"$@\"",
                launch.java().toString()));
        cmd.addAll(launch.jvmOptions());
        cmd.addAll(List.of("-cp", launch.classPath(), GuardMain.class.getName(), "--socket", socket.toString(),
                "--pid-file", pidFile.toString(), "--log", logFile.toString(), "--server", server));
        Path output = logFile.resolveSibling(logFile.getFileName() + ".out");
        Process p;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            return GuardReply.error("cannot start the guard: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (GuardServer.answering(socket)) {
                return new GuardReply(true, "guard started (pid " + p.pid() + ")");
            }
            if (!p.isAlive()) {
                return GuardReply.error("the guard exited with status " + p.exitValue() + " (see " + output + ")");
            }
            sleep(50);
        }
        return GuardReply.error("the guard (pid " + p.pid() + ") did not answer on " + socket + " within "
                + timeout.toMillis() + " ms (see " + output + ")");
    }

    /** Connects as this process, with a heartbeat every 100 ms. */
    public GuardReply connect() {
        return connect(ProcStat.self().orElseThrow(), Duration.ofMillis(100));
    }

    /**
     * Connects and introduces {@code daemon} as the process the guard kills if it finds it frozen
     * (silent for three heartbeats when a deadline passes). The guard refuses to arm a name whose
     * guard-timeout is not longer than three heartbeats.
     */
    public synchronized GuardReply connect(ProcStat daemon, Duration heartbeatEvery) {
        return connect(daemon, heartbeatEvery, true);
    }

    /**
     * As {@link #connect(ProcStat, Duration)}; with {@code askQuiet} false every FEED is answered
     * (its refusal reaches the caller instead of the guard's log).
     */
    public synchronized GuardReply connect(ProcStat daemon, Duration heartbeatEvery, boolean askQuiet) {
        close();
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return GuardReply.error("cannot connect to the guard on " + socket + ": " + e.getMessage());
        }
        replies = new LinkedBlockingQueue<>();
        unanswered = 0;
        BlockingQueue<String> queue = replies;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                String l;
                while ((l = in.readLine()) != null) {
                    queue.add(l);
                }
            } catch (IOException e) {
                // the connection is gone; requests see EOF below
            }
            queue.add(EOF);
        }, "vigil-guard-client-reader");
        reader.setDaemon(true);
        reader.start();
        String who = Tokens.join(daemon.pid(), daemon.startTicks(), System.nanoTime(), heartbeatEvery.toMillis());
        GuardReply hello = request(List.of(GuardProtocol.HELLO + " " + who
                + (askQuiet ? " " + GuardProtocol.QUIET : "")), REQUEST_TIMEOUT);
        quiet = askQuiet && hello.ok();
        if (askQuiet && !hello.ok() && hello.message().contains("usage: HELLO")) {
            // A guard of an earlier version, still running from before an upgrade: every request is answered.
            hello = request(List.of(GuardProtocol.HELLO + " " + Tokens.join(daemon.pid(), daemon.startTicks(),
                    System.nanoTime(), heartbeatEvery.toMillis())), REQUEST_TIMEOUT);
        }
        if (!hello.ok()) {
            close();
            return hello;
        }
        heartbeat = new Thread(() -> beat(heartbeatEvery), "vigil-guard-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        return hello;
    }

    /**
     * Says ALIVE only when nothing else was sent for a while: every request proves the daemon alive
     * (a lease holder's FEEDs come every renew-interval, so it sends no ALIVE at all). While a name
     * is armed the daemon is never silent for more than 1.5 heartbeats (the guard takes 3 for
     * frozen); while nothing is armed, where silence decides nothing, once every
     * {@value #IDLE_HEARTBEATS} heartbeats. Arming wakes this thread to switch to the short gap.
     */
    private void beat(Duration every) {
        long everyNanos = every.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            long gap = armed.isEmpty() ? IDLE_HEARTBEATS * everyNanos : everyNanos * 3 / 2;
            long silent = System.nanoTime() - lastSentNanos;
            if (silent < gap) {
                LockSupport.parkNanos(this, gap - silent);
                continue;
            }
            if (!(quiet ? send(GuardProtocol.ALIVE) : request(List.of(GuardProtocol.ALIVE), REQUEST_TIMEOUT)).ok()) {
                return;
            }
        }
    }

    public boolean connected() {
        return channel != null && channel.isOpen();
    }

    /** Arms {@code name} with the lease timings' guard-timeout and fence-timeout. */
    public GuardReply arm(String name, LeaseTimings timings, long anchorNanos, FenceList list) {
        return arm(name, timings.guardTimeout(), timings.fenceTimeout(), anchorNanos, list);
    }

    /** Arms or re-arms {@code name}: fence {@code list} unless fed within {@code guardTimeout} of an anchor. */
    public GuardReply arm(String name, Duration guardTimeout, Duration fenceTimeout, long anchorNanos, FenceList list) {
        List<String> lines = new ArrayList<>();
        lines.add(GuardProtocol.ARM + " " + Tokens.join(name, guardTimeout.toMillis(), fenceTimeout.toMillis(),
                anchorNanos));
        lines.addAll(list.encode());
        lines.add(GuardProtocol.END);
        if (armed.add(name)) {
            Thread beat = heartbeat;
            if (beat != null) {
                LockSupport.unpark(beat); // from the idle gap to the armed one
            }
        }
        return request(lines, REQUEST_TIMEOUT);
    }

    /** Moves the deadline to {@code anchorNanos + guard-timeout}: send after each successful renewal. */
    public GuardReply feed(String name, long anchorNanos) {
        String line = GuardProtocol.FEED + " " + Tokens.join(name, anchorNanos);
        return quiet ? send(line) : request(List.of(line), REQUEST_TIMEOUT);
    }

    /**
     * Writes a request the guard does not answer (FEED, ALIVE on a quiet connection): "OK sent"
     * once it is on the socket; the guard logs a refusal itself.
     */
    private synchronized GuardReply send(String line) {
        if (!connected()) {
            return GuardReply.error("not connected to the guard on " + socket);
        }
        try {
            write(line);
            return new GuardReply(true, "sent");
        } catch (IOException e) {
            return GuardReply.error("cannot talk to the guard: " + e.getMessage());
        }
    }

    /** Fences {@code name} now (the daemon knows it lost the lease); returns when the guard is done. */
    public GuardReply fence(String name, String reason) {
        armed.remove(name);
        return request(List.of(GuardProtocol.FENCE + " " + Tokens.join(name, reason)), Duration.ofSeconds(15));
    }

    public GuardReply disarm(String name) {
        armed.remove(name);
        return request(List.of(GuardProtocol.DISARM + " " + Tokens.join(name)), REQUEST_TIMEOUT);
    }

    public GuardReply disarmAll() {
        armed.clear();
        return request(List.of(GuardProtocol.DISARM + " *"), REQUEST_TIMEOUT);
    }

    public GuardReply status() {
        return request(List.of(GuardProtocol.STATUS), REQUEST_TIMEOUT);
    }

    /** Tells the guard to exit; it refuses while anything is armed. Closes the connection. */
    public GuardReply exitGuard() {
        GuardReply r = request(List.of(GuardProtocol.EXIT), REQUEST_TIMEOUT);
        if (r.ok()) {
            close();
        }
        return r;
    }

    /**
     * Writes straight to the channel: a stream from Channels.newOutputStream would wait for the
     * channel's blocking lock, which the reader thread holds while it waits for a line.
     */
    private synchronized GuardReply request(List<String> lines, Duration timeout) {
        if (!connected()) {
            return GuardReply.error("not connected to the guard on " + socket);
        }
        try {
            write(String.join("\n", lines));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String reply = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (reply == null) {
                    unanswered++;
                    return GuardReply.error("no reply from the guard within " + timeout.toMillis() + " ms");
                }
                if (reply.equals(EOF)) {
                    replies.add(EOF);
                    return GuardReply.error("the guard closed the connection");
                }
                if (unanswered > 0) {
                    unanswered--;
                    continue;
                }
                return GuardReply.parse(reply);
            }
        } catch (IOException e) {
            return replyBeforeClose().orElse(GuardReply.error("cannot talk to the guard: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GuardReply.error("interrupted while waiting for the guard");
        }
    }

    /** Writes {@code text} and a newline to the channel (callers hold this client's lock); the guard hears the daemon. */
    private void write(String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        lastSentNanos = System.nanoTime();
    }

    /** The guard may have answered and closed before the request was written (it turns a second daemon away). */
    private Optional<GuardReply> replyBeforeClose() {
        try {
            String reply = replies.poll(100, TimeUnit.MILLISECONDS);
            return reply == null || reply.equals(EOF) ? Optional.empty() : Optional.of(GuardReply.parse(reply));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Closes the connection; anything still armed is fenced by the guard. */
    @Override
    public synchronized void close() {
        armed.clear();
        quiet = false;
        if (heartbeat != null) {
            heartbeat.interrupt();
            heartbeat = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing is all that was wanted
            }
            channel = null;
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
