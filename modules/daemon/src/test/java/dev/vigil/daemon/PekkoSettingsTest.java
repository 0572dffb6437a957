package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.daemon.cluster.ServerReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Pekko configuration generated from a server's Vigil configuration. */
class PekkoSettingsTest {
    private static Path dir;
    private static VigilConfig n2;
    private static Config pekko;

    @BeforeAll
    static void generate() throws Exception {
        dir = Files.createTempDirectory("vigil-pekko-settings-test");
        n2 = TestSupport.config(dir, "n2", List.of(7401, 7402, 7403), 7466);
        pekko = PekkoSettings.toConfig(n2);
    }

    @AfterAll
    static void cleanUp() {
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void seedNodesAreAllServersInConfigurationOrder() {
        assertEquals(List.of("pekko://vigil@127.0.0.1:7401", "pekko://vigil@127.0.0.1:7402",
                "pekko://vigil@127.0.0.1:7403"), pekko.getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void aServerJoiningTheOthersFirstListsItselfLast() {
        VigilConfig n1 = TestSupport.config(dir, "n1", List.of(7401, 7402, 7403), 7465);
        assertEquals(List.of("pekko://vigil@127.0.0.1:7402", "pekko://vigil@127.0.0.1:7403",
                "pekko://vigil@127.0.0.1:7401"), PekkoSettings.toConfig(n1, true).getStringList("pekko.cluster.seed-nodes"));
        assertEquals(List.of("pekko://vigil@127.0.0.1:7401", "pekko://vigil@127.0.0.1:7402",
                "pekko://vigil@127.0.0.1:7403"), PekkoSettings.toConfig(n1, false).getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void thisServerIsTheCanonicalArteryTcpEndpointOfAClusterProvider() {
        assertEquals("cluster", pekko.getString("pekko.actor.provider"));
        assertEquals("tcp", pekko.getString("pekko.remote.artery.transport"));
        assertEquals("127.0.0.1", pekko.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(7402, pekko.getInt("pekko.remote.artery.canonical.port"));
        // Not Pekko's 1 s: with 1 s heartbeats, its handshake requests and their answers were a third of the traffic.
        assertEquals(Duration.ofSeconds(30), pekko.getDuration("pekko.remote.artery.advanced.inject-handshake-interval"));
    }

    @Test
    void pekkosFailureDetectorRunsAtItsOwnDefaultsOrSlowerAndPekkoDownsNobody() {
        // cluster.failure-detector is 100 ms / 600 ms here: that pace is Vigil's UDP heartbeats'.
        assertEquals(Duration.ofSeconds(1), pekko.getDuration("pekko.cluster.failure-detector.heartbeat-interval"));
        assertEquals(Duration.ofSeconds(3), pekko.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"));
        assertEquals(8.0, pekko.getDouble("pekko.cluster.failure-detector.threshold"));
        assertEquals(Duration.ofSeconds(1), pekko.getDuration("pekko.cluster.unreachable-nodes-reaper-interval"));
        assertEquals(Duration.ofMillis(100), pekko.getDuration("pekko.scheduler.tick-duration"));
        assertEquals(Duration.ofMillis(100), pekko.getDuration("pekko.cluster.scheduler.tick-duration"));
        assertEquals("", pekko.getString("pekko.cluster.downing-provider-class"),
                "no Pekko downing: Vigil's DowningRule decides");
        assertEquals(true, pekko.getBoolean("pekko.cluster.run-coordinated-shutdown-when-down"));
        assertEquals(false, pekko.getBoolean("pekko.coordinated-shutdown.exit-jvm"));
    }

    @Test
    void pekkosFailureDetectorFollowsSettingsSlowerThanItsDefaults() {
        var slow = new dev.vigil.core.config.FailureDetectorSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 12.0);
        assertEquals(slow, PekkoSettings.pekko(slow));
        var mixed = new dev.vigil.core.config.FailureDetectorSettings(Duration.ofMillis(500), Duration.ofSeconds(5), 9.0);
        assertEquals(new dev.vigil.core.config.FailureDetectorSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 9.0),
                PekkoSettings.pekko(mixed));
    }

    @Test
    void kitCallsRunOnTheirOwnDispatcherWithAThreadPerResource() {
        assertEquals("thread-pool-executor", pekko.getString(PekkoSettings.KIT_DISPATCHER + ".executor"));
        assertEquals(3, pekko.getInt(PekkoSettings.KIT_DISPATCHER + ".thread-pool-executor.fixed-pool-size"),
                "n2 may run the three resources of its one hierarchy");
    }

    @Test
    void takingTheHierarchiesOutOfServiceMayTakeAsLongAsTheirKitsTimeoutsAllow() {
        // Three generic resources (restore 300 s, remove 300 s, recover 300 s, two attempts): one operation
        // (3 x 300 + 2 x 3 x 300 + 3 x 2 x 300) and a removal (3 x 300), plus 10 s.
        assertEquals(n2.hierarchiesStopBound(), pekko.getDuration("pekko.coordinated-shutdown.phases."
                + PekkoSettings.HIERARCHIES_PHASE + ".timeout"));
        assertEquals(Duration.ofSeconds(900 + 1800 + 1800 + 900 + 10), n2.hierarchiesStopBound());
    }

    @Test
    void pekkoLogsThroughSlf4j() {
        assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), pekko.getStringList("pekko.loggers"));
        assertEquals("org.apache.pekko.event.slf4j.Slf4jLoggingFilter", pekko.getString("pekko.logging-filter"));
    }

    @Test
    void serverReportCrossesTheWireAsJacksonCborAndComesBackEqual() {
        Config bindingsOnly = ConfigFactory.parseString(PekkoSettings.render(n2))
                .withOnlyPath("pekko.actor.serialization-bindings");
        ActorTestKit kit = ActorTestKit.create(bindingsOnly.withFallback(ConfigFactory.load()));
        try {
            Map<String, ResourceStatus> resources = new LinkedHashMap<>();
            resources.put("ip-10.200.0.100", new ResourceStatus(ResourceState.OSU, "out of service"));
            resources.put("fs-/share", new ResourceStatus(ResourceState.ILLSTATE, "not yet initialised"));
            ServerReport report = new ServerReport("n2", 1_700_000_000_000L, 42, Instant.parse("2024-05-01T10:00:00.123Z"),
                    ShutdownStrategy.SWITCHOVER, List.of(new CommPathStatus("n1", "TCP", "127.0.0.1:7402",
                    "127.0.0.1:7401", CommPathState.ALIVE, 1, 3)), resources);
            Serialization serialization = SerializationExtension.get(kit.system());
            assertInstanceOf(JacksonCborSerializer.class, serialization.findSerializerFor(report));
            byte[] bytes = serialization.serialize(report).get();
            Object back = serialization.deserialize(bytes, serialization.findSerializerFor(report).identifier(),
                    Serializers.manifestFor(serialization.findSerializerFor(report), report)).get();
            assertNotSame(report, back);
            assertEquals(report, back);
            assertEquals(List.copyOf(resources.keySet()), List.copyOf(((ServerReport) back).resources().keySet()));
        } finally {
            kit.shutdownTestKit();
        }
    }
}
