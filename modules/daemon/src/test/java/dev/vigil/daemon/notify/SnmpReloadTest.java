package dev.vigil.daemon.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.daemon.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What lk_configsnmp writes reaches a running daemon's trap sender; a broken file changes nothing. */
class SnmpReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private Path dir;

    @AfterEach
    void cleanUp() {
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void newDestinationsAreUsedWithoutARestartAndABrokenFileIsReported() throws Exception {
        dir = Files.createTempDirectory("vigil-snmp-reload");
        VigilConfig config = TestSupport.configWith(dir, "n1", List.of(TestSupport.freePort()), TestSupport.freePort(), "");
        LogSetup.configure(config.logs(), "n1");
        Path snmpConf = config.sources().get(0).resolveSibling("conf.d").resolve("snmp.conf");
        Files.createDirectories(snmpConf.getParent());
        try (Snmptrapd receiver = Snmptrapd.start();
             TrapSender traps = new TrapSender("n1", config.snmp(), "127.0.0.1");
             SnmpReload reload = SnmpReload.start(config.sources().get(0), traps, "n1", 100)) {
            assertTrue(traps.settings().destinations().isEmpty());
            Files.writeString(snmpConf, "vigil.snmp { destinations = [\"" + receiver.destination() + "\"] }\n");
            TestSupport.await("the new destination taken over", WAIT, () -> !traps.settings().destinations().isEmpty());
            traps.startupComplete();
                        receiver.await("1.3.6.1.4.1.7359.1.0.100", WAIT);

            Files.writeString(snmpConf, "vigil.snmp { version = v3 }\n");
            Path log = config.logs().dir().resolve(LogType.SNMP.fileName());
            TestSupport.await("the broken file reported", WAIT, () -> TestSupport.read(log).contains("Error: the changed"));
            assertEquals(1, traps.settings().destinations().size(), "the settings stay as they were");
            String text = TestSupport.read(log);
            assertTrue(text.contains(": configuration reloaded: trap destinations " + receiver.destination()
                    + " (community public, v2c)\n"), text);
            assertTrue(text.contains("Error: the changed configuration is not used, the SNMP settings stay as they were: "
                    + snmpConf + ":1: vigil.snmp.version: 'v3' is not one of: v1, v2c"), text);
        }
    }
}
