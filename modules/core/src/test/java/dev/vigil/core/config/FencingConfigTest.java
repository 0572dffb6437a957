package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster.fencing: the lease device, the guard switch and the lease/guard clocks, validated as one set. */
class FencingConfigTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    @Test
    void defaultsAreQuorumOnlyWithTheGuardAndTheDocumentedClocks() {
        FencingSettings fencing = f.load(vigil("")).cluster().fencing();
        assertEquals(Optional.empty(), fencing.leaseDevice());
        assertFalse(fencing.leaseMode());
        assertTrue(fencing.guard());
        assertEquals(LeaseTimings.DEFAULTS, fencing.timings());
    }

    @Test
    void aLeaseDeviceAndTimingsAreRead() {
        FencingSettings fencing = f.load(vigil("  cluster.fencing { lease-device = \"/dev/loop7\", guard = false,"
                + " lease-timeout = 2s, renew-timeout = 800ms }\n")).cluster().fencing();
        assertEquals(Optional.of(Path.of("/dev/loop7")), fencing.leaseDevice());
        assertFalse(fencing.guard());
        assertEquals(Duration.ofSeconds(2), fencing.timings().leaseTimeout());
        assertEquals(Duration.ofMillis(800), fencing.timings().renewTimeout());
    }

    @Test
    void withALeaseTheHeartbeatsDefaultToPekkosSecondAndThreeUnlessWritten() {
        FailureDetectorSettings quorum = f.load(vigil("")).cluster().failureDetector();
        assertEquals(Duration.ofMillis(200), quorum.heartbeatInterval());
        assertEquals(Duration.ofMillis(1200), quorum.acceptableHeartbeatPause());
        FailureDetectorSettings lease = f.load(vigil("  cluster.fencing.lease-device = \"/dev/loop7\"\n"))
                .cluster().failureDetector();
        assertEquals(FailureDetectorSettings.WITH_LEASE, lease);
        assertEquals(Duration.ofSeconds(1), lease.heartbeatInterval());
        assertEquals(Duration.ofSeconds(3), lease.acceptableHeartbeatPause());
        FailureDetectorSettings written = f.load(vigil("  cluster.fencing.lease-device = \"/dev/loop7\"\n"
                + "  cluster.failure-detector.heartbeat-interval = 300ms\n")).cluster().failureDetector();
        assertEquals(Duration.ofMillis(300), written.heartbeatInterval());
        assertEquals(Duration.ofSeconds(3), written.acceptableHeartbeatPause());
        assertEquals(List.of("vigil.conf:4: vigil.cluster.failure-detector.heartbeat-interval: 4s must be shorter than"
                        + " acceptable-heartbeat-pause (3s, the default); lower it or raise acceptable-heartbeat-pause"),
                f.problems(vigil("  cluster.failure-detector.heartbeat-interval = 4s\n"
                        + "  cluster.fencing.lease-device = \"/dev/loop7\"\n")));
    }

    @Test
    void aRelativeLeaseDeviceIsRefused() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.fencing.lease-device: must be an absolute path of a block"
                        + " device, not 'loop7'"),
                f.problems(vigil("  cluster.fencing.lease-device = loop7\n")));
    }

    @Test
    void unsafeTimingsAreReportedAtTheKeyTheOperatorWrote() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.fencing.lease-timeout: renew-timeout + fence-timeout +"
                        + " safety-margin (500 + 200 + 150 = 850 ms) must not exceed lease-timeout (800 ms): a holder's"
                        + " resources must be dead before its lease can expire for another server"),
                f.problems(vigil("  cluster.fencing.lease-timeout = 800ms\n")));
        assertEquals(List.of("vigil.conf:4: vigil.cluster.fencing.guard-timeout: guard-timeout (900 ms) must not"
                        + " exceed renew-timeout (500 ms): the guard must never fence later than the daemon gives the"
                        + " lease up"),
                f.problems(vigil("  cluster.fencing.guard-timeout = 900ms\n")));
    }

    @Test
    void wrongTypesAndRangesAreReported() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.fencing.guard: expected true or false but found \"maybe\"",
                        "vigil.conf:4: vigil.cluster.fencing.io-timeout: 2m is out of range (10ms to 1m)"),
                f.problems(vigil("  cluster.fencing { guard = maybe, io-timeout = 2m }\n")));
    }
}
