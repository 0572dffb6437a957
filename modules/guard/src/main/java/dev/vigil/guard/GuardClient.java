package dev.vigil.guard;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.ProcStat;
import dev.vigil.guard.fence.Tokens;
import dev.vigil.core.config.LeaseTimings;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        /**
         * The guard's JVM: small heap, serial collector, no JIT tiers it does not need, and its
         * request path (ten FEEDs a second) compiled within seconds rather than minutes.
         */
        public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms8m", "-Xmx32m", "-Xss512k",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1", "-XX:-UsePerfData",
                "-Djava.awt.headless=true");

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
    /** Each armed name's guard-timeout, and its deadline as the guard holds it (latest anchor + guard-timeout). */
    private final Map<String, Long> guardTimeouts = new ConcurrentHashMap<>();
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    /** The reader thread's selector, woken by {@link #close()}. */
    private Selector readerSelector;

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
        Selector selector;
        try {
            // Non-blocking, and read through a selector: a thread blocked in read() on a Unix
            // socket is woken each time the guard reads what this side wrote (the socket's one
            // wait queue), ten times a second with a lease holder's FEEDs; epoll wakes for input only.
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            close();
            return GuardReply.error("cannot talk to the guard on " + socket + ": " + e.getMessage());
        }
        readerSelector = selector;
        SocketChannel ch = channel;
        Thread reader = new Thread(() -> readLines(ch, selector, queue), "vigil-guard-client-reader");
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
     * Says ALIVE only when the guard needs it. The guard judges the daemon's silence only when a
     * deadline passes (silent for three heartbeats then: frozen, killed), and every request proves
     * the daemon alive. So while a name is armed, ALIVE goes out 1.5 heartbeats before the earliest
     * deadline unless a FEED moved that deadline on meanwhile (a lease holder's FEEDs come every
     * renew-interval: it sends no ALIVE, and this thread wakes about once per guard-timeout minus
     * three heartbeats instead of at every FEED), and after 1.5 heartbeats of silence once a
     * deadline has passed. While nothing is armed, where silence decides nothing, once every
     * {@value #IDLE_HEARTBEATS} heartbeats. Arming wakes this thread.
     */
    private void beat(Duration every) {
        long everyNanos = every.toNanos();
        long margin = everyNanos * 3 / 2;
        while (!Thread.currentThread().isInterrupted()) {
            long wakeAt;
            if (armed.isEmpty()) {
                wakeAt = lastSentNanos + IDLE_HEARTBEATS * everyNanos;
            } else {
                wakeAt = lastSentNanos + margin;
                long next = deadlines.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                if (next != Long.MAX_VALUE && next - margin > wakeAt) {
                    wakeAt = next - margin;
                }
            }
            long now = System.nanoTime();
            if (now < wakeAt) {
                LockSupport.parkNanos(this, wakeAt - now);
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
        armed.add(name);
        guardTimeouts.put(name, guardTimeout.toNanos());
        deadlines.merge(name, anchorNanos + guardTimeout.toNanos(), Math::max);
        Thread beat = heartbeat;
        if (beat != null) {
            LockSupport.unpark(beat); // to the armed gap, or to an earlier deadline
        }
        return request(lines, REQUEST_TIMEOUT);
    }

    /** Moves the deadline to {@code anchorNanos + guard-timeout}: send after each successful renewal. */
    public GuardReply feed(String name, long anchorNanos) {
        String line = GuardProtocol.FEED + " " + Tokens.join(name, anchorNanos);
        Long timeout = guardTimeouts.get(name);
        if (timeout != null) {
            deadlines.computeIfPresent(name, (n, d) -> Math.max(d, anchorNanos + timeout));
        }
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
        forget(name);
        return request(List.of(GuardProtocol.FENCE + " " + Tokens.join(name, reason)), Duration.ofSeconds(15));
    }

    public GuardReply disarm(String name) {
        forget(name);
        return request(List.of(GuardProtocol.DISARM + " " + Tokens.join(name)), REQUEST_TIMEOUT);
    }

    public GuardReply disarmAll() {
        forgetAll();
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

    /** Writes the request, then waits for its reply line from the reader thread. */
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

    /** The reader thread: the guard's reply lines, then {@link #EOF} when the connection ends. */
    private static void readLines(SocketChannel ch, Selector selector, BlockingQueue<String> queue) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try (selector) {
            while (ch.isOpen()) {
                selector.select();
                selector.selectedKeys().clear();
                int n;
                while ((n = ch.read(buf)) > 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            String l = line.toString(StandardCharsets.UTF_8);
                            queue.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
                            line.reset();
                        } else {
                            line.write(b);
                        }
                    }
                    buf.clear();
                }
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // the connection is gone; requests see EOF below
        }
        queue.add(EOF);
    }

    /**
     * Writes {@code text} and a newline to the channel (callers hold this client's lock); the guard
     * hears the daemon. The channel is non-blocking: a guard that stops reading until the socket's
     * buffer is full (frozen) fails the write after the request timeout instead of blocking the caller.
     */
    private void write(String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the guard has not read its socket for " + REQUEST_TIMEOUT.toMillis() + " ms");
                }
                LockSupport.parkNanos(1_000_000);
            }
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
        forgetAll();
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
        if (readerSelector != null) {
            readerSelector.wakeup(); // the reader sees the channel closed, closes the selector, says EOF
            readerSelector = null;
        }
    }

    private void forget(String name) {
        armed.remove(name);
        deadlines.remove(name);
        guardTimeouts.remove(name);
    }

    private void forgetAll() {
        armed.clear();
        deadlines.clear();
        guardTimeouts.clear();
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
