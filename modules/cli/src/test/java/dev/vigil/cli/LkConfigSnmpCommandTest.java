package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.TestConfig;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.SnmpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lk_configsnmp writes conf.d/snmp.conf, checked by the configuration loader, and logs each change. */
class LkConfigSnmpCommandTest {
    @TempDir
    Path dir;

    private TestConfig config;
    private String conf;
    private Path snmpConf;

    @BeforeEach
    void writeConfig() {
        config = TestConfig.write(dir, TestConfig.freePort());
        conf = config.file.toString();
        snmpConf = config.file.resolveSibling("conf.d").resolve("snmp.conf");
    }

    @Test
    void setsTheDestinationsTheDaemonReadsAndLogsTheChange() throws Exception {
        Result r = CliRun.of("lk_configsnmp", "-c", conf, "10.200.0.9", "nms.example.com:1162");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("destinations: 10.200.0.9 nms.example.com:1162\ncommunity:    public\nversion:      v2c\n", r.out());
        SnmpSettings s = ConfigLoader.load(config.file).snmp();
        assertEquals(List.of(new SnmpSettings.Destination("10.200.0.9", 162),
                new SnmpSettings.Destination("nms.example.com", 1162)), s.destinations());
        String log = Files.readString(config.logsDir.resolve("snmp.log"));
        assertTrue(log.matches("\\d{4}-\\d\\d-\\d\\d [0-9:.]+ n1 INFO  \\w{3} \\w{3} +\\d+ [0-9:]+ \\S+ \\d{4}: "
                + "lk_configsnmp: trap destinations set to 10\\.200\\.0\\.9, nms\\.example\\.com:1162 \\(community public, "
                + "v2c\\)\n"), log);
    }

    @Test
    void communityAndVersionAreKeptWhenOnlyTheDestinationsChange() throws Exception {
        assertEquals(0, CliRun.of("lk_configsnmp", "-c", conf, "--community", "ops", "--version", "v1", "10.0.0.1")
                .exit());
        assertEquals(0, CliRun.of("lk_configsnmp", "-c", conf, "10.0.0.2").exit());
        SnmpSettings s = ConfigLoader.load(config.file).snmp();
        assertEquals("ops", s.community());
        assertEquals(SnmpSettings.Version.V1, s.version());
        assertEquals(List.of(new SnmpSettings.Destination("10.0.0.2", 162)), s.destinations());
        Result list = CliRun.of("lk_configsnmp", "-c", conf);
        assertEquals("destinations: 10.0.0.2\ncommunity:    ops\nversion:      v1\n", list.out());
        assertEquals(list, CliRun.of("lk_configsnmp", "-c", conf, "--list"));
    }

    @Test
    void clearRemovesEveryDestination() throws Exception {
        assertEquals(0, CliRun.of("lk_configsnmp", "-c", conf, "10.0.0.1").exit());
        Result r = CliRun.of("lk_configsnmp", "-c", conf, "--clear");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("destinations: (none: no trap is sent)\n"), r.out());
        assertTrue(ConfigLoader.load(config.file).snmp().destinations().isEmpty());
        assertTrue(Files.readString(config.logsDir.resolve("snmp.log")).contains("lk_configsnmp: trap destinations cleared"));
    }

    @Test
    void aBadDestinationChangesNothing() throws Exception {
        Result r = CliRun.of("lk_configsnmp", "-c", conf, "10.0.0.1", "bad host");
        assertEquals(2, r.exit());
        assertEquals("lk_configsnmp: destination 'bad host' is not an IPv4 address or host name (optionally followed "
                + "by :port)\n", r.err());
        assertFalse(Files.exists(snmpConf));
    }

    @Test
    void aValueTheValidatorRefusesPutsThePreviousFileBack() throws Exception {
        assertEquals(0, CliRun.of("lk_configsnmp", "-c", conf, "10.0.0.1").exit());
        String before = Files.readString(snmpConf);
        Result r = CliRun.of("lk_configsnmp", "-c", conf, "--version", "v3");
        assertEquals(2, r.exit());
        assertTrue(r.err().matches(".*conf\\.d/snmp\\.conf:5: vigil\\.snmp\\.version: 'v3' is not one of: v1, v2c.*\n"),
                r.err());
        assertEquals(before, Files.readString(snmpConf));
        Result space = CliRun.of("lk_configsnmp", "-c", conf, "--community", "a b", "10.0.0.1");
        assertEquals(2, space.exit());
        assertTrue(space.err().contains("vigil.snmp.community: must be printable ASCII without spaces, not 'a b'"),
                space.err());
        assertEquals(before, Files.readString(snmpConf));
    }

    @Test
    void clearWithADestinationIsAUsageError() {
        Result r = CliRun.of("lk_configsnmp", "-c", conf, "--clear", "10.0.0.1");
        assertEquals(2, r.exit());
        assertEquals("lk_configsnmp: --clear takes no destination\n", r.err());
        Result both = CliRun.of("lk_configsnmp", "-c", conf, "--clear", "--list");
        assertEquals(2, both.exit());
        assertTrue(both.err().startsWith("lk_configsnmp: Error: --clear, --list are mutually exclusive"), both.err());
    }
}
