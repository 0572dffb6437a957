package dev.vigil.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.ProcStat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the daemon's side of the guard puts on the wire between requests: ALIVE only when nothing
 * else was sent, just before an armed name's deadline and often once it has passed (the guard
 * takes a daemon silent for three heartbeats at a deadline for frozen), rarely while nothing is. The other end is a plain line
 * server on a real Unix socket that answers OK and records when each request arrived.
 */
class GuardClientHeartbeatTest {
    private static final Duration EVERY = Duration.ofMillis(50);

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private Thread serving;
    private GuardClient client;
    /** Every request line that arrived (fence list lines excluded), with its arrival time. */
    private final List<Object[]> arrived = new CopyOnWriteArrayList<>();

    /** The line server answers a HELLO with "quiet" as a guard of an earlier version does. */
    private volatile boolean oldGuard;

    @BeforeEach
    void listen() throws Exception {
        startServer();
        client = new GuardClient(dir.resolve("guard.sock"), dir.resolve("guard.pid"), dir.resolve("guard.log"), "n1",
                GuardClient.Launch.ofThisJvm());
        assertTrue(client.connect(ProcStat.self().orElseThrow(), EVERY).ok());
    }

    /** A fresh line server (the client must connect again). */
    private void listenAgain() throws Exception {
        server.close();
        serving.join(2000);
        Files.deleteIfExists(dir.resolve("guard.sock"));
        arrived.clear();
        startServer();
    }

    private void startServer() throws Exception {
        Path socket = dir.resolve("guard.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        serving = new Thread(() -> {
            try (SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(c);
                boolean inArm = false;
                boolean quiet = false;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(GuardProtocol.HELLO + " ")) {
                        quiet = line.endsWith(" " + GuardProtocol.QUIET);
                        if (quiet && oldGuard) {
                            quiet = false;
                            arrived.add(new Object[] {System.nanoTime(), line});
                            out.write("ERR usage: HELLO <pid> <start-ticks> <nanoTime> <heartbeat-ms>\n"
                                    .getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            continue;
                        }
                    }
                    if (inArm) {
                        inArm = !line.equals(GuardProtocol.END);
                        if (inArm) {
                            continue;
                        }
                    } else {
                        arrived.add(new Object[] {System.nanoTime(), line});
                        if (line.startsWith(GuardProtocol.ARM + " ")) {
                            inArm = true;
                            continue;
                        }
                    }
                    if (quiet && (line.startsWith(GuardProtocol.FEED + " ") || line.equals(GuardProtocol.ALIVE))) {
                        continue; // as the guard: unanswered on a quiet connection
                    }
                    out.write("OK\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (Exception e) {
                // the test closed the server
            }
        }, "line-server");
        serving.setDaemon(true);
        serving.start();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        server.close();
        serving.join(2000);
        Files.deleteIfExists(dir.resolve("guard.sock"));
    }

    private List<Long> alivesBetween(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (Object[] a : arrived) {
            long at = (Long) a[0];
            if (a[1].equals(GuardProtocol.ALIVE) && at >= from && at <= to) {
                out.add(at);
            }
        }
        return out;
    }

    /** When the last request of any kind arrived before {@code at}. */
    private long lastArrivalBefore(long at) {
        long last = Long.MIN_VALUE;
        for (Object[] a : arrived) {
            long when = (Long) a[0];
            if (when <= at) {
                last = Math.max(last, when);
            }
        }
        return last;
    }

    /** The longest time in [from, to] in which no request of any kind arrived. */
    private long longestSilenceMillis(long from, long to) {
        long last = from;
        long longest = 0;
        for (Object[] a : arrived) {
            long at = (Long) a[0];
            if (at >= from && at <= to) {
                longest = Math.max(longest, at - last);
                last = at;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(Math.max(longest, to - last));
    }

    @Test
    void aGuardOfAnEarlierVersionGetsThePlainHelloAndAnswersEveryFeed() throws Exception {
        client.close();
        oldGuard = true;
        listenAgain();
        assertTrue(client.connect(ProcStat.self().orElseThrow(), EVERY).ok());
        assertEquals(List.of(true, false), arrived.stream().map(a -> (String) a[1])
                .filter(l -> l.startsWith(GuardProtocol.HELLO + " ")).map(l -> l.endsWith(" " + GuardProtocol.QUIET))
                .toList());
        GuardReply fed = client.feed("pg", System.nanoTime());
        assertTrue(fed.ok(), fed.message());
        assertEquals("", fed.message(), "the line server's own OK, not the quiet client's \"sent\"");
    }

    @Test
    void rareWhileNothingIsArmedBeforeEachDeadlineWhileArmedAndNothingBesideFeeds() throws Exception {
        long t0 = System.nanoTime();
        Thread.sleep(1200);
        long t1 = System.nanoTime();
        int idle = alivesBetween(t0, t1).size();
        assertTrue(idle <= 3, idle + " ALIVEs in 1.2 s with nothing armed (one per "
                + GuardClient.IDLE_HEARTBEATS * EVERY.toMillis() + " ms expected)");

        long anchor = System.nanoTime();
        assertTrue(client.arm("pg", Duration.ofMillis(500), Duration.ofMillis(200), anchor,
                FenceList.empty().withMount(dir.toString())).ok());
        long armedAt = System.nanoTime();
        long deadline = anchor + TimeUnit.MILLISECONDS.toNanos(500);
        Thread.sleep(1100);
        long t2 = System.nanoTime();
        // The guard judges silence when a deadline passes: by then the daemon was heard within 3 heartbeats.
        long silentAtDeadline = TimeUnit.NANOSECONDS.toMillis(deadline - lastArrivalBefore(deadline));
        int beforeDeadline = alivesBetween(armedAt, deadline - 2 * EVERY.toNanos()).size();
        long silenceAfter = longestSilenceMillis(deadline, t2);
        int afterDeadline = alivesBetween(deadline, t2).size();
        System.out.println("armed, not fed: " + beforeDeadline + " ALIVEs until 2 heartbeats before the deadline, silent "
                + silentAtDeadline + " ms when it passed; after it " + afterDeadline + " ALIVEs in "
                + TimeUnit.NANOSECONDS.toMillis(t2 - deadline) + " ms, longest silence " + silenceAfter + " ms; idle: "
                + idle + " ALIVEs in 1.2 s");
        assertTrue(silentAtDeadline < 3 * EVERY.toMillis(), "silent for " + silentAtDeadline
                + " ms when the deadline passed (the guard takes " + 3 * EVERY.toMillis() + " ms for frozen)");
        assertEquals(0, beforeDeadline, "no ALIVE long before the deadline");
        assertTrue(silenceAfter < 3 * EVERY.toMillis(), "silent for " + silenceAfter + " ms after the deadline");
        assertTrue(afterDeadline >= 6, afterDeadline + " ALIVEs in 600 ms after the deadline");

        long feeding = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertTrue(client.feed("pg", System.nanoTime()).ok());
            Thread.sleep(EVERY.toMillis() / 2);
        }
        long fed = System.nanoTime();
        assertEquals(List.of(), alivesBetween(feeding + TimeUnit.MILLISECONDS.toNanos(5), fed),
                "no ALIVE while FEEDs come every half heartbeat");

        assertTrue(client.disarm("pg").ok());
        Thread.sleep(100);
        long t3 = System.nanoTime();
        Thread.sleep(1200);
        int after = alivesBetween(t3, System.nanoTime()).size();
        assertTrue(after <= 3, after + " ALIVEs in 1.2 s after the disarm");
    }

    /**
     * The reply reader waits for input only: the FEEDs a lease holder writes ten times a second on
     * a quiet connection (no replies) do not wake it. (A thread blocked in read() on a Unix socket
     * is woken each time the other end reads, through the socket's shared wait queue.)
     */
    @Test
    void feedsOnAQuietConnectionDoNotWakeTheReplyReader() throws Exception {
        Thread.sleep(100);
        long before = readerWakeUps();
        for (int i = 0; i < 50; i++) {
            assertTrue(client.feed("pg", System.nanoTime()).ok());
            Thread.sleep(5);
        }
        Thread.sleep(100);
        long woke = readerWakeUps() - before;
        System.out.println("reply reader woken " + woke + " times by 50 quiet FEEDs");
        assertTrue(woke <= 5, "the reply reader was woken " + woke + " times by 50 FEEDs that get no reply");
    }

    /** Context switches of this JVM's guard reply reader threads (their names as the kernel keeps them). */
    private static long readerWakeUps() throws Exception {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().startsWith("vigil-guard-cli")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }
}
