package dev.vigil.daemon.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.config.LogSettings;
import dev.vigil.core.config.SnmpSettings;
import dev.vigil.daemon.TestSupport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fourteen traps of the manual, sent by {@link TrapSender} to Debian's real snmptrapd as v2c
 * and as v1: each arrives with its OID and the varbinds its number calls for, and each is written
 * to the SNMP log in the manual's shape. A destination that cannot be reached delays nothing.
 */
class TrapSenderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Path logs;

    @BeforeAll
    static void logs() throws Exception {
        logs = Files.createTempDirectory("vigil-trap-logs");
        LogSetup.configure(new LogSettings(logs, 10L << 20, 5), "test");
    }

    @AfterAll
    static void cleanUp() {
        TestSupport.deleteRecursively(logs);
    }

    private static SnmpSettings settings(SnmpSettings.Version version, String... destinations) {
        return new SnmpSettings(java.util.Arrays.stream(destinations).map(SnmpSettings.Destination::parse).toList(),
                "public", version);
    }

    /** Every event once, so that every trap number is sent once. */
    private static void everyEvent(ClusterEvents events) {
        events.startupComplete();
        events.shutdownInitiated();
        events.shutdownComplete();
        events.switchoverInitiated("pg", "n2");
        events.switchoverComplete("n2", List.of("ip", "pg"), List.of("fs"));
        events.serverFailureDetected("n3", "DEAD on all 2 comm paths");
        events.serverRecoveryComplete("n3", List.of("ip", "pg"), List.of("fs"));
        events.resourceRecoveryInitiated("pg", "gen,fail");
        events.resourceRecoveryFailed("pg", "gen,fail");
        events.resourceRecoveryComplete("pg", "gen,fail");
        events.commPathUp("n2", "127.0.0.1", "127.0.0.2");
        events.commPathDown("n2", "127.0.0.1", "127.0.0.2");
    }

    @ParameterizedTest
    @EnumSource(SnmpSettings.Version.class)
    void allFourteenTrapsArriveWithTheirOidAndVarbinds(SnmpSettings.Version version) {
        try (Snmptrapd receiver = Snmptrapd.start();
             TrapSender sender = new TrapSender("n1", settings(version, receiver.destination()), "127.0.0.1")) {
            everyEvent(sender);
            for (int n : Trap.NUMBERS) {
                receiver.await("1.3.6.1.4.1.7359.1.0." + n, WAIT);
            }
            Map<String, Snmptrapd.Received> byOid = receiver.traps().stream()
                    .collect(Collectors.toMap(Snmptrapd.Received::oid, t -> t, (a, b) -> a));
            assertEquals(14, byOid.size(), byOid.keySet().toString());
            for (Snmptrapd.Received t : byOid.values()) {
                assertEquals(version == SnmpSettings.Version.V1 ? 1 : 2, t.version(), t.toString());
                assertTrue(t.value(Trap.MESSAGE_OID).orElse("").startsWith("Vigil "), t.toString());
            }
            assertEquals("Vigil Startup Complete on server n1", message(byOid, 100));
            assertEquals("Vigil Manual Switchover Initiated on server n1: hierarchy pg to server n2",
                    message(byOid, 110));
            assertEquals("Vigil Node Failure Detected for server n3 by server n1: DEAD on all 2 comm paths",
                    message(byOid, 120));
            assertEquals("Vigil Communications Path Down from server n1 to server n2 by 127.0.0.1/127.0.0.2",
                    message(byOid, 141));
            for (int n : List.of(130, 131, 132)) {
                assertEquals(Map.of(Trap.MESSAGE_OID, message(byOid, n), Trap.RESOURCE_OID, "pg"),
                        trap(byOid, n).varbinds(), "trap " + n);
            }
            for (int n : List.of(111, 121)) {
                assertEquals("ip pg", trap(byOid, n).value(Trap.RECOVERED_OID).orElseThrow(), "trap " + n);
                assertFalse(trap(byOid, n).value(Trap.FAILED_OID).isPresent(), "trap " + n);
            }
            for (int n : List.of(112, 122)) {
                assertEquals("fs", trap(byOid, n).value(Trap.FAILED_OID).orElseThrow(), "trap " + n);
                assertFalse(trap(byOid, n).value(Trap.RECOVERED_OID).isPresent(), "trap " + n);
            }
            for (int n : List.of(100, 101, 102, 110, 120, 140, 141)) {
                assertEquals(1, trap(byOid, n).varbinds().size(), "only the message: " + trap(byOid, n));
            }
            String log = TestSupport.read(logs.resolve(LogType.SNMP.fileName()));
            TestSupport.await("the SNMP log lines", WAIT, () -> TestSupport.read(logs.resolve(LogType.SNMP.fileName()))
                    .contains("Trap 141 [Vigil Communications Path Down"));
            log = TestSupport.read(logs.resolve(LogType.SNMP.fileName()));
            assertTrue(log.matches("(?s).*n1 INFO  \\w{3} \\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d \\S+ \\d{4}: Trap 100 \\[Vigil "
                    + "Startup Complete on server n1\\] sent to " + receiver.destination().replace(".", "\\.") + "\n.*"),
                    log);
            assertTrue(log.contains("Trap 130 [Vigil Resource Recovery Initiated for resource pg on server n1 after "
                    + "event gen,fail] sent to " + receiver.destination() + " :pg\n"), log);
            assertTrue(log.contains("Trap 121 [Vigil Node Recovery Complete for server n3 on server n1: recovered "
                    + "resources] sent to " + receiver.destination() + " :ip pg\n"), log);
        }
    }

    private static Snmptrapd.Received trap(Map<String, Snmptrapd.Received> byOid, int n) {
        return byOid.get("1.3.6.1.4.1.7359.1.0." + n);
    }

    private static String message(Map<String, Snmptrapd.Received> byOid, int n) {
        return trap(byOid, n).value(Trap.MESSAGE_OID).orElseThrow();
    }

    private static final int ROUNDS = 10;

    @Test
    void unreachableDestinationsDelayNeitherTheCallerNorTheOtherDestinations() throws Exception {
        int closedPort;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (Snmptrapd receiver = Snmptrapd.start();
             TrapSender sender = new TrapSender("n1", settings(SnmpSettings.Version.V2C, "no-such-host.invalid",
                     "127.0.0.1:" + closedPort, receiver.destination()), "127.0.0.1")) {
            long start = System.nanoTime();
            // 10 rounds of all 14 traps: a burst snmptrapd takes without dropping datagrams on a loaded machine.
            for (int i = 0; i < ROUNDS; i++) {
                everyEvent(sender);
            }
            long callerMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(callerMillis < 2000, ROUNDS * 14 + " events took the caller " + callerMillis + " ms");
            System.out.println(ROUNDS * 14 + " events with two unreachable destinations took the caller " + callerMillis + " ms");
            Duration delivered = TestSupport.await("every trap at the reachable receiver", Duration.ofSeconds(60),
                    () -> receiver.traps().size() == ROUNDS * 14);
            System.out.println("all " + ROUNDS * 14 + " traps at the reachable receiver after " + (callerMillis + delivered.toMillis())
                    + " ms");
            TestSupport.await("the unknown host in the SNMP log", WAIT, () -> TestSupport.read(
                    logs.resolve(LogType.SNMP.fileName())).contains("ERROR "));
            String log = TestSupport.read(logs.resolve(LogType.SNMP.fileName()));
            assertTrue(log.matches("(?s).*n1 ERROR \\w{3} \\w{3} +\\d+ [0-9:]+ \\S+ \\d{4}: Error: Trap 100 \\[Vigil Startup "
                    + "Complete on server n1\\] not sent to no-such-host\\.invalid: unknown host no-such-host\\.invalid.*"),
                    log);
        }
    }
}
