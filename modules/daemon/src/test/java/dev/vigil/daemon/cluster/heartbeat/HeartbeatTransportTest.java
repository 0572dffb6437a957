package dev.vigil.daemon.cluster.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.config.CommPathNetwork;
import dev.vigil.core.config.CommPathNetwork.Endpoint;
import dev.vigil.core.config.FailureDetectorSettings;
import dev.vigil.daemon.TestSupport;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatTransport.Event;
import dev.vigil.daemon.cluster.heartbeat.HeartbeatTransport.PathChanged;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP heartbeats of two servers on 127.0.0.1, without actors: detection, strangers, sockets, load. */
class HeartbeatTransportTest {
    private static final FailureDetectorSettings SHORT = new FailureDetectorSettings(TestSupport.HEARTBEAT,
            TestSupport.PAUSE, 8.0);
    private static final FailureDetectorSettings DEFAULTS = new FailureDetectorSettings(Duration.ofMillis(200),
            Duration.ofMillis(1200), 8.0);
    /** heartbeat-interval + pause + 5.2 × 100 ms (phi 8) + one tick, plus a margin for a busy machine. */
    private static final Duration DETECTION_BOUND = Duration.ofMillis(100 + 600 + 520 + 100 + 1500);

    private final List<HeartbeatTransport> started = new ArrayList<>();
    /** "n2/lan2": n2 is cut off lan2; "n2/lan2/in": n2 drops what it receives there, but sends. */
    private final Set<String> unplugged = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        started.forEach(HeartbeatTransport::close);
    }

    private static CommPathNetwork lan2(int p1, int p2) {
        return new CommPathNetwork("lan2", 2, 7375, Map.of("n1", new Endpoint("127.0.0.1", p1),
                "n2", new Endpoint("127.0.0.1", p2)));
    }

    private BlockingQueue<Event> start(String self, CommPathNetwork network, FailureDetectorSettings fd) throws Exception {
        return start(self, 1000, network, fd);
    }

    private BlockingQueue<Event> start(String self, long incarnation, CommPathNetwork network, FailureDetectorSettings fd)
            throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        HeartbeatTransport t = new HeartbeatTransport(self, "vigil", incarnation, List.of(network), fd, events::add,
                (n, peer, outgoing) -> unplugged.contains(self + "/" + n)
                        || !outgoing && unplugged.contains(self + "/" + n + "/in"));
        started.add(t);
        t.start();
        return events;
    }

    /** The next event of type {@code type} within {@code timeout}, skipping others. */
    private static <T extends Event> T next(BlockingQueue<Event> events, Class<T> type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout.toMillis() + " ms");
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
    }

    /** n1 and n2 on lan2, each having seen the other ALIVE: their event queues. */
    private List<BlockingQueue<Event>> startAlivePair() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(2, List.of());
        BlockingQueue<Event> n1 = start("n1", lan2(ports.get(0), ports.get(1)), SHORT);
        BlockingQueue<Event> n2 = start("n2", lan2(ports.get(0), ports.get(1)), SHORT);
        assertEquals(new PathChanged("n2", "lan2", true, 1000), next(n1, PathChanged.class, Duration.ofSeconds(5)));
        assertEquals(new PathChanged("n1", "lan2", true, 1000), next(n2, PathChanged.class, Duration.ofSeconds(5)));
        return List.of(n1, n2);
    }

    /** Both ends report the path ALIVE again (in either order) within 3 s. */
    private static void assertBothAliveAgain(BlockingQueue<Event> n1, BlockingQueue<Event> n2) throws Exception {
        assertEquals(new PathChanged("n2", "lan2", true, 1000), next(n1, PathChanged.class, Duration.ofSeconds(3)));
        assertEquals(new PathChanged("n1", "lan2", true, 1000), next(n2, PathChanged.class, Duration.ofSeconds(3)));
    }

    @Test
    void twoServersSeeEachOtherAndAnUnpluggedNetworkGoesDeadWithinTheDetectorBound() throws Exception {
        List<BlockingQueue<Event>> pair = startAlivePair();
        BlockingQueue<Event> n1 = pair.get(0);
        BlockingQueue<Event> n2 = pair.get(1);

        long cut = System.nanoTime();
        unplugged.add("n2/lan2");
        assertEquals(new PathChanged("n2", "lan2", false, 1000), next(n1, PathChanged.class, DETECTION_BOUND));
        assertEquals(new PathChanged("n1", "lan2", false, 1000), next(n2, PathChanged.class, DETECTION_BOUND));
        System.out.println("unplugged lan2 path detected DEAD on both sides after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut) + " ms (bound " + DETECTION_BOUND.toMillis() + ")");

        unplugged.remove("n2/lan2");
        assertBothAliveAgain(n1, n2);
    }

    @Test
    void aPathSilentInOneDirectionOnlyGoesDeadAtBothEnds() throws Exception {
        List<BlockingQueue<Event>> pair = startAlivePair();
        BlockingQueue<Event> n1 = pair.get(0);
        BlockingQueue<Event> n2 = pair.get(1);

        // n2 no longer receives n1's heartbeats; n1 still receives n2's. Without the "hears you" flag
        // n1 would keep the path ALIVE while n2 calls it DEAD, and each could count the other wrongly.
        long cut = System.nanoTime();
        unplugged.add("n2/lan2/in");
        assertEquals(new PathChanged("n1", "lan2", false, 1000), next(n2, PathChanged.class, DETECTION_BOUND));
        long n2Verdict = System.nanoTime();
        assertEquals(new PathChanged("n2", "lan2", false, 1000), next(n1, PathChanged.class, Duration.ofMillis(
                TestSupport.HEARTBEAT.toMillis() * 2 + 500)));
        System.out.println("one-way cut: n2 DEAD after " + TimeUnit.NANOSECONDS.toMillis(n2Verdict - cut)
                + " ms, n1 " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - n2Verdict) + " ms after n2");

        unplugged.remove("n2/lan2/in");
        assertBothAliveAgain(n1, n2);
    }

    @Test
    void aPeerRestartedBeforeItsSilenceWasNoticedEndsItsOldLifesPathAndStartsANewOne() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(2, List.of());
        BlockingQueue<Event> n1 = start("n1", lan2(ports.get(0), ports.get(1)), SHORT);
        start("n2", lan2(ports.get(0), ports.get(1)), SHORT);
        assertEquals(new PathChanged("n2", "lan2", true, 1000), next(n1, PathChanged.class, Duration.ofSeconds(5)));

        started.remove(1).close();
        start("n2", 2000, lan2(ports.get(0), ports.get(1)), SHORT);
        // Well within the detector's bound: the new life's first heartbeat ends the old one's path.
        assertEquals(new PathChanged("n2", "lan2", false, 1000), next(n1, PathChanged.class, Duration.ofMillis(1000)));
        assertEquals(new PathChanged("n2", "lan2", true, 2000), next(n1, PathChanged.class, Duration.ofSeconds(3)));
    }

    @Test
    void theThreadWakesForItsTicksAndDatagramsOnlyNeverSpinningBeforeATick() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(2, List.of());
        start("n1", lan2(ports.get(0), ports.get(1)), SHORT);
        start("n2", lan2(ports.get(0), ports.get(1)), SHORT);
        HeartbeatTransport n1 = started.get(0);
        Thread.sleep(500);
        long before = n1.wakeups();
        long t0 = System.nanoTime();
        Thread.sleep(2000);
        long ticks = (System.nanoTime() - t0) / SHORT.heartbeatInterval().toNanos();
        long woke = n1.wakeups() - before;
        System.out.println("heartbeat thread woke " + woke + " times in " + ticks + " heartbeat-intervals");
        // One wake-up for its own tick and one for the peer's heartbeat, a few more for timer slack; a
        // selector woken with a timeout rounded down to 0 ms spins hundreds of times per tick instead.
        assertTrue(woke <= ticks * 4 + 4, "woke " + woke + " times in " + ticks + " heartbeat-intervals");
    }

    @Test
    void datagramsFromStrangersAreIgnoredAndEachKindReportedOnce() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(3, List.of());
        BlockingQueue<Event> n1 = start("n1", lan2(ports.get(0), ports.get(1)), SHORT);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(0));
        List<ByteBuffer> strangers = List.of(
                ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)),
                new Heartbeat("other-cluster", "n2", 1, 1, true).encode(),
                new Heartbeat("vigil", "n9", 1, 1, true).encode(),
                new Heartbeat("vigil", "n2", 1, 1, true).encode()); // n2's name, but not from n2's address
        try (DatagramChannel impostor = DatagramChannel.open()) {
            impostor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.get(2)));
            for (int round = 0; round < 3; round++) { // the first round may come before the socket is bound
                for (ByteBuffer b : strangers) {
                    impostor.send(b.duplicate(), target);
                }
                Thread.sleep(150);
            }
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < strangers.size(); i++) {
                HeartbeatTransport.Ignored ignored = next(n1, HeartbeatTransport.Ignored.class, Duration.ofSeconds(3));
                assertEquals("127.0.0.1:" + ports.get(2), ignored.from());
                reasons.add(ignored.reason());
            }
            assertEquals(Set.of("not a Vigil heartbeat", "a heartbeat of cluster 'other-cluster', not 'vigil'",
                    "a heartbeat of server 'n9', which has no address on this network",
                    "a heartbeat of server 'n2' from another address than its configured 127.0.0.1:" + ports.get(1)),
                    Set.copyOf(reasons));
            Thread.sleep(300);
            assertTrue(n1.stream().noneMatch(e -> e instanceof HeartbeatTransport.Ignored || e instanceof PathChanged),
                    "each stranger once, and n2 never ALIVE: " + n1);
        }
    }

    @Test
    void aPortInUseIsReportedAndBoundOnceItIsFree() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(2, List.of());
        DatagramSocket squatter = new DatagramSocket(ports.get(0), InetAddress.getLoopbackAddress());
        BlockingQueue<Event> n1;
        try {
            n1 = start("n1", lan2(ports.get(0), ports.get(1)), SHORT);
            HeartbeatTransport.BindFailed failed = next(n1, HeartbeatTransport.BindFailed.class, Duration.ofSeconds(3));
            assertEquals("lan2", failed.network());
            assertEquals("127.0.0.1:" + ports.get(0), failed.endpoint());
        } finally {
            squatter.close();
        }
        assertEquals(new HeartbeatTransport.Bound("lan2", "127.0.0.1:" + ports.get(0)),
                next(n1, HeartbeatTransport.Bound.class, Duration.ofSeconds(5)));
    }

    @Test
    void defaultTimingsKeepThePathAliveWhileEveryCoreIsBusy() throws Exception {
        List<Integer> ports = TestSupport.freeUdpPorts(2, List.of());
        BlockingQueue<Event> n1 = start("n1", lan2(ports.get(0), ports.get(1)), DEFAULTS);
        start("n2", lan2(ports.get(0), ports.get(1)), DEFAULTS);
        assertEquals(new PathChanged("n2", "lan2", true, 1000), next(n1, PathChanged.class, Duration.ofSeconds(5)));

        AtomicBoolean burn = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (burn.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
            t.setDaemon(true);
            t.start();
            burners.add(t);
        }
        try {
            Thread.sleep(4000);
        } finally {
            burn.set(false);
            for (Thread t : burners) {
                t.join();
            }
        }
        assertEquals(Optional.empty(), n1.stream().filter(e -> e instanceof PathChanged).findFirst(),
                "no false DEAD under load");
    }

    @Test
    void heartbeatsRoundTripAndAnythingElseIsRefused() {
        Heartbeat hb = new Heartbeat("vigil", "n1", 1_700_000_000_000L, 42, false);
        assertEquals(Optional.of(hb), Heartbeat.decode(hb.encode()));
        ByteBuffer flagged = hb.encode();
        Heartbeat.setHearsYou(flagged, true);
        assertEquals(Optional.of(new Heartbeat("vigil", "n1", 1_700_000_000_000L, 42, true)),
                Heartbeat.decode(flagged.duplicate()));
        Heartbeat.setHearsYou(flagged, false);
        assertEquals(Optional.of(hb), Heartbeat.decode(flagged.duplicate()));
        Heartbeat.setSeq(flagged, 43);
        Heartbeat.setHearsYou(flagged, true);
        assertEquals(Optional.of(new Heartbeat("vigil", "n1", 1_700_000_000_000L, 43, true)),
                Heartbeat.decode(flagged.duplicate()));
        ByteBuffer badFlag = hb.encode();
        badFlag.put(badFlag.limit() - 1, (byte) 2);
        assertEquals(Optional.empty(), Heartbeat.decode(badFlag));
        ByteBuffer truncated = hb.encode();
        truncated.limit(truncated.limit() - 1);
        assertEquals(Optional.empty(), Heartbeat.decode(truncated));
        ByteBuffer longer = ByteBuffer.allocate(hb.encode().remaining() + 1).put(hb.encode()).put((byte) 0).flip();
        assertEquals(Optional.empty(), Heartbeat.decode(longer));
        assertEquals(Optional.empty(), Heartbeat.decode(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    }
}
