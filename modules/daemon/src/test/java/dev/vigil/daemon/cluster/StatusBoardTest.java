package dev.vigil.daemon.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import dev.vigil.daemon.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status board of n1 in a three-server cluster, fed by hand and through a local topic. */
class StatusBoardTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final AtomicInteger topics = new AtomicInteger();
    private static Path dir;
    private static VigilConfig config;

    private ActorRef<Topic.Command<ServerReport>> topic;
    private ActorRef<StatusBoard.Command> board;

    @BeforeAll
    static void configure() throws Exception {
        dir = Files.createTempDirectory("vigil-status-board-test");
        config = TestSupport.config(dir, "n1", List.of(7401, 7402, 7403), 7466);
    }

    @AfterAll
    static void cleanUp() {
        kit.shutdownTestKit();
        TestSupport.deleteRecursively(dir);
    }

    @BeforeEach
    void spawnBoard() {
        topic = kit.spawn(Topic.create(ServerReport.class, "reports-" + topics.incrementAndGet()));
        board = kit.spawn(StatusBoard.create(config, 1000, topic));
        status(); // the board has subscribed once it answers
    }

    @Test
    void statusListsServersInConfigurationOrderWithThisServerAliveAndPeersAsItsCommPathsSay() {
        board.tell(new StatusBoard.CommPathsChanged(List.of(path("n2", CommPathState.ALIVE),
                path("n3", CommPathState.DEAD))));
        ClusterStatus s = status();
        assertEquals("n1", s.local());
        assertEquals("vigil", s.cluster());
        assertEquals(List.of("n1", "n2", "n3"), s.servers().stream().map(ServerStatus::name).toList());
        assertEquals(ServerState.ALIVE, s.server("n1").orElseThrow().state());
        assertEquals(ServerState.ALIVE, s.server("n2").orElseThrow().state());
        assertEquals(ServerState.DEAD, s.server("n3").orElseThrow().state());
        assertNull(s.server("n2").orElseThrow().reportedAt(), "n2 has not reported");
        assertEquals("127.0.0.1:7402", s.server("n2").orElseThrow().address());
        assertEquals(List.of(HierarchyInfo.of(config.hierarchies().get(0))), s.hierarchies());
        ServerStatus own = s.server("n1").orElseThrow();
        assertEquals(ShutdownStrategy.DO_NOT_SWITCHOVER, own.shutdownStrategy());
        assertEquals(2, own.commPaths().size());
    }

    @Test
    void ownResourcesAreIllstateUntilReportedThenPublishedWithEveryChange() {
        assertEquals(Map.of("ip-10.200.0.100", illstate(), "fs-/share", illstate(), "powergres-/share/data", illstate()),
                status().server("n1").orElseThrow().resources());
        assertEquals(List.of("ip-10.200.0.100", "fs-/share", "powergres-/share/data"),
                List.copyOf(status().server("n1").orElseThrow().resources().keySet()), "dependencies first");

        TestProbe<ServerReport> listener = kit.createTestProbe();
        topic.tell(Topic.subscribe(listener.ref()));
        TestSupport.await("listener subscribed", Duration.ofSeconds(3), () -> {
            board.tell(new StatusBoard.ResourceChanged("fs-/share", new ResourceStatus(ResourceState.OSU, "out of service")));
            return listener.receiveMessage(Duration.ofSeconds(2)).resources().get("fs-/share").state() == ResourceState.OSU;
        });
        assertEquals(ResourceState.OSU, status().server("n1").orElseThrow().resources().get("fs-/share").state());
    }

    @Test
    void ownReportIsRepublishedEverySecondWithAHigherSequenceNumber() {
        TestProbe<ServerReport> listener = kit.createTestProbe();
        topic.tell(Topic.subscribe(listener.ref()));
        ServerReport first = listener.receiveMessage(Duration.ofSeconds(3));
        ServerReport second = listener.receiveMessage(Duration.ofSeconds(3));
        assertEquals("n1", second.server());
        assertEquals(1000, second.incarnation());
        assertTrue(second.seq() > first.seq());
        assertTrue(second.newerThan(first));
    }

    @Test
    void onceNothingChangedForAWhileTheReportIsRepublishedMoreSlowlyAndAChangeBringsTheFastPaceBack() {
        ActorRef<Topic.Command<ServerReport>> quietTopic = kit.spawn(Topic.create(ServerReport.class,
                "reports-" + topics.incrementAndGet()));
        TestProbe<ServerReport> listener = kit.createTestProbe();
        quietTopic.tell(Topic.subscribe(listener.ref()));
        ActorRef<StatusBoard.Command> quietBoard = kit.spawn(StatusBoard.create(config, 1000, quietTopic,
                Duration.ofMillis(1500), Duration.ofSeconds(3)));
        // At the start (a change): every second. Quiet after 1.5 s: then every 3 s.
        listener.receiveMessage(Duration.ofSeconds(3));
        long last = System.nanoTime();
        long longest = 0;
        for (int i = 0; i < 3; i++) {
            listener.receiveMessage(Duration.ofSeconds(5));
            longest = Math.max(longest, System.nanoTime() - last);
            last = System.nanoTime();
        }
        assertTrue(longest >= Duration.ofMillis(2500).toNanos(), "republished every " + longest / 1_000_000
                + " ms at most once quiet");
        // A change of this server's comm paths: published at once, and every second again.
        quietBoard.tell(new StatusBoard.CommPathsChanged(List.of(path("n2", CommPathState.ALIVE))));
        listener.receiveMessage(Duration.ofSeconds(1)); // published with the change itself
        long changed = System.nanoTime();
        listener.receiveMessage(Duration.ofSeconds(3));
        long gap = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(gap < 2000, "republished " + gap + " ms after a change, not at the fast pace");
        kit.stop(quietBoard);
        kit.stop(quietTopic);
    }

    @Test
    void anOlderReportNeverOverwritesANewerOne() {
        topic.tell(Topic.publish(report(5, 3, "newest of incarnation 5")));
        awaitN2Reason("newest of incarnation 5");
        topic.tell(Topic.publish(report(5, 2, "delayed on the wire")));
        topic.tell(Topic.publish(report(4, 99, "previous incarnation")));
        topic.tell(Topic.publish(report(6, 1, "restarted")));
        awaitN2Reason("restarted");
        topic.tell(Topic.publish(report(5, 4, "late report of the dead incarnation")));
        // The topic delivers in order: once a later report of n3 is in, the late one of n2 was handled.
        topic.tell(Topic.publish(new ServerReport("n3", 1, 1, Instant.now(), ShutdownStrategy.SWITCHOVER, List.of(),
                Map.of())));
        TestSupport.await("n3's report", Duration.ofSeconds(3),
                () -> status().server("n3").orElseThrow().reportedAt() != null);
        assertEquals("restarted", reasonOfN2());
    }

    @Test
    void reportsOfServersNotInTheConfigurationAreIgnored() {
        topic.tell(Topic.publish(new ServerReport("n9", 1, 1, Instant.now(), ShutdownStrategy.SWITCHOVER, List.of(),
                Map.of())));
        topic.tell(Topic.publish(report(1, 1, "known")));
        awaitN2Reason("known");
        assertEquals(List.of("n1", "n2", "n3"), status().servers().stream().map(ServerStatus::name).toList());
    }

    @Test
    void aWatcherHearsOfEveryChangeButNotOfAPeersRepublicationOfTheSameReport() {
        TestProbe<StatusBoard.Reports> watcher = kit.createTestProbe();
        board.tell(new StatusBoard.WatchReports(watcher.ref()));
        assertTrue(watcher.receiveMessage(Duration.ofSeconds(3)).reports().containsKey("n1"), "the reports at once");

        topic.tell(Topic.publish(report(1, 1, "first")));
        assertEquals("first", watcher.receiveMessage(Duration.ofSeconds(3)).reports().get("n2").resources()
                .get("ip-10.200.0.100").reason(), "a new peer report");
        topic.tell(Topic.publish(report(1, 2, "first")));
        topic.tell(Topic.publish(report(1, 3, "first")));
        watcher.expectNoMessage(Duration.ofMillis(500)); // the same report again, newer only in seq and time
        topic.tell(Topic.publish(report(1, 4, "changed")));
        assertEquals("changed", watcher.receiveMessage(Duration.ofSeconds(3)).reports().get("n2").resources()
                .get("ip-10.200.0.100").reason());

        board.tell(new StatusBoard.CommPathsChanged(List.of(path("n2", CommPathState.ALIVE))));
        assertEquals(ServerState.ALIVE, watcher.receiveMessage(Duration.ofSeconds(3)).states().get("n2"));
        board.tell(new StatusBoard.CommPathsChanged(List.of(path("n2", CommPathState.ALIVE))));
        watcher.expectNoMessage(Duration.ofMillis(300)); // unchanged paths
        board.tell(new StatusBoard.CommPathsChanged(List.of(path("n2", CommPathState.DEAD))));
        assertEquals(ServerState.DEAD, watcher.receiveMessage(Duration.ofSeconds(3)).states().get("n2"));

        board.tell(new StatusBoard.ResourceChanged("fs-/share", new ResourceStatus(ResourceState.ISP, "in service")));
        assertEquals(ResourceState.ISP, watcher.receiveMessage(Duration.ofSeconds(3)).reports().get("n1").resources()
                .get("fs-/share").state());
    }

    private void awaitN2Reason(String reason) {
        TestSupport.await("n2's report with reason " + reason, Duration.ofSeconds(3), () -> reason.equals(reasonOfN2()));
    }

    private String reasonOfN2() {
        ResourceStatus r = status().server("n2").orElseThrow().resources().get("ip-10.200.0.100");
        return r == null ? null : r.reason();
    }

    private static ServerReport report(long incarnation, long seq, String reason) {
        return new ServerReport("n2", incarnation, seq, Instant.now(), ShutdownStrategy.DO_NOT_SWITCHOVER,
                List.of(path("n1", CommPathState.ALIVE)),
                Map.of("ip-10.200.0.100", new ResourceStatus(ResourceState.OSU, reason)));
    }

    private static CommPathStatus path(String to, CommPathState state) {
        return new CommPathStatus(to, "TCP", "127.0.0.1:7401", "127.0.0.1:740" + to.substring(1), state, 1, 0);
    }

    private static ResourceStatus illstate() {
        return new ResourceStatus(ResourceState.ILLSTATE, "not yet initialised");
    }

    private ClusterStatus status() {
        TestProbe<ClusterStatus> probe = kit.createTestProbe();
        board.tell(new StatusBoard.GetStatus(probe.ref()));
        return probe.receiveMessage(Duration.ofSeconds(3));
    }
}
