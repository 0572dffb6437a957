package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil.snmp (trap destinations, community, version) and vigil.jmx (enabled, port), also from conf.d/snmp.conf. */
class SnmpJmxConfigTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    @Test
    void defaultsSendNoTrapAndKeepJmxOff() {
        VigilConfig c = f.load(vigil(""));
        assertEquals(new SnmpSettings(List.of(), "public", SnmpSettings.Version.V2C), c.snmp());
        assertFalse(c.jmx().enabled());
        assertEquals(7367, c.jmx().port());
    }

    @Test
    void destinationsCommunityAndVersionFromConfD() {
        f.write("conf.d/snmp.conf", """
                vigil.snmp { destinations = ["10.200.0.9", "nms.example.com:1162"], community = ops, version = v1 }
                """);
        VigilConfig c = f.load(vigil(""));
        assertEquals(List.of(new SnmpSettings.Destination("10.200.0.9", 162),
                new SnmpSettings.Destination("nms.example.com", 1162)), c.snmp().destinations());
        assertEquals("ops", c.snmp().community());
        assertEquals(SnmpSettings.Version.V1, c.snmp().version());
    }

    @Test
    void badSnmpValuesNameTheKeyAndTheFix() {
        assertEquals(List.of(
                "vigil.conf:4: vigil.snmp.destinations: 'no host!' is not an IPv4 address or host name (optionally "
                        + "followed by :port)",
                "vigil.conf:4: vigil.snmp.destinations: '10.0.0.1:99999': the port after ':' must be 1 to 65535",
                "vigil.conf:5: vigil.snmp.community: must be printable ASCII without spaces, not 'a b'",
                "vigil.conf:6: vigil.snmp.version: 'v3' is not one of: v1, v2c (did you mean 'v1'?)"),
                f.problems(vigil("""
                          snmp { destinations = ["no host!", "10.0.0.1:99999"]
                            community = "a b"
                            version = v3 }
                        """)));
    }

    @Test
    void anEnabledJmxPortMustNotBeTheAdminPort() {
        assertEquals(List.of("vigil.conf:4: vigil.jmx.port: 7366 is also the admin port (admin.port); choose another port"),
                f.problems(vigil("  jmx { enabled = true, port = 7366 }\n")));
        assertEquals(List.of("vigil.conf:4: vigil.jmx.enabled: expected true or false but found \"maybe\""),
                f.problems(vigil("  jmx { enabled = maybe }\n")));
    }
}
