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
 * else was sent, often while something is armed (the guard takes a daemon silent for three
 * heartbeats at a deadline for frozen), rarely while nothing is. The other end is a plain line
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
    void quietWhileNothingIsArmedEveryHeartbeatAndAHalfWhileArmedAndNothingBesideFeeds() throws Exception {
        long t0 = System.nanoTime();
        Thread.sleep(1200);
        long t1 = System.nanoTime();
        int idle = alivesBetween(t0, t1).size();
        assertTrue(idle <= 3, idle + " ALIVEs in 1.2 s with nothing armed (one per "
                + GuardClient.IDLE_HEARTBEATS * EVERY.toMillis() + " ms expected)");

        assertTrue(client.arm("pg", Duration.ofMillis(500), Duration.ofMillis(200), System.nanoTime(),
                FenceList.empty().withMount(dir.toString())).ok());
        long armedAt = System.nanoTime();
        Thread.sleep(1000);
        long t2 = System.nanoTime();
        long silence = longestSilenceMillis(armedAt, t2);
        int armedAlives = alivesBetween(armedAt, t2).size();
        System.out.println("armed: " + armedAlives + " ALIVEs in 1 s, longest silence " + silence + " ms; idle: "
                + idle + " ALIVEs in 1.2 s");
        assertTrue(silence < 3 * EVERY.toMillis(), "silent for " + silence + " ms while armed (the guard takes "
                + 3 * EVERY.toMillis() + " ms for frozen)");
        assertTrue(armedAlives >= 8, armedAlives + " ALIVEs in 1 s while armed");

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
}
