package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster { ... }: the servers, this server among them, the failure detector, the admin port. */
class ClusterConfigTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    private List<String> servers(String server, String... entries) {
        return f.problems("vigil {\n  server = " + server + "\n  cluster.servers = [\n"
                + String.join("", List.of(entries).stream().map(e -> "    " + e + "\n").toList()) + "  ]\n}\n");
    }

    @Test
    void duplicateServerNameIsReportedOnTheSecondEntry() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.servers[1].name: duplicate server name 'n1'"),
                servers("n1", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n1, host = \"10.200.0.2\" }"));
    }

    @Test
    void duplicateHostAndPortNamesTheServerUsingItFirst() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.servers[1].port: address 10.200.0.1:7365 is already used by server 'n1'"),
                servers("n1", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n2, host = \"10.200.0.1\", port = 7365 }"));
    }

    @Test
    void twoServersOnOneHostWithDifferentPortsAreFine() {
        VigilConfig c = f.load("""
                vigil {
                  server = n2
                  cluster.servers = [ { name = n1, host = "127.0.0.1", port = 7401 }, { name = n2, host = "127.0.0.1", port = 7402 } ]
                  admin.port = 7412
                }
                """);
        assertEquals(new ServerConfig("n2", "127.0.0.1", 7402), c.localServer());
        assertEquals("127.0.0.1:7402", c.localServer().displayAddress());
    }

    @Test
    void malformedHostAddressesAreRefused() {
        assertEquals(List.of(
                "vigil.conf:4: vigil.cluster.servers[0].host: '10.200.0.300' is not an IPv4 address or host name",
                "vigil.conf:5: vigil.cluster.servers[1].host: '-n2' is not an IPv4 address or host name",
                "vigil.conf:6: vigil.cluster.servers[2].host: 'db_3.example.com' is not an IPv4 address or host name",
                "vigil.conf:7: vigil.cluster.servers[3].host: must not be empty"),
                servers("n1", "{ name = n1, host = \"10.200.0.300\" }", "{ name = n2, host = \"-n2\" }",
                        "{ name = n3, host = \"db_3.example.com\" }", "{ name = n4, host = \"\" }"));
    }

    @Test
    void hostNamesAndAddressesAreAccepted() {
        VigilConfig c = f.load("""
                vigil {
                  server = db1
                  cluster.servers = [ { name = db1, host = db1.example.com }, { name = db-2, host = "192.168.10.2" } ]
                }
                """);
        assertEquals(List.of("db1.example.com", "192.168.10.2"), c.cluster().servers().stream().map(ServerConfig::host).toList());
    }

    @Test
    void serverNameWithASpaceIsRefused() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.servers[0].name: 'node 1' may contain only letters, digits, '.', '-' and '_'"),
                servers("n2", "{ name = \"node 1\", host = \"10.200.0.1\" }", "{ name = n2, host = \"10.200.0.2\" }"));
    }

    @Test
    void serverPortOutOfRangeIsRefused() {
        assertEquals(List.of(
                "vigil.conf:4: vigil.cluster.servers[0].port: 0 is out of range (1 to 65535)",
                "vigil.conf:5: vigil.cluster.servers[1].port: 65536 is out of range (1 to 65535)"),
                servers("n1", "{ name = n1, host = \"10.200.0.1\", port = 0 }", "{ name = n2, host = \"10.200.0.2\", port = 65536 }"));
    }

    @Test
    void serverEntryWithoutHostIsReportedAtTheEntry() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.servers[1].host: missing required key"),
                servers("n1", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n2 }"));
    }

    @Test
    void thisServerNotAmongTheServersSuggestsTheClosestName() {
        assertEquals(List.of("vigil.conf:2: vigil.server: 'n3' is not among cluster.servers (did you mean 'n1'? known: n1, n2)"),
                servers("n3", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n2, host = \"10.200.0.2\" }"));
        assertEquals(List.of("vigil.conf:2: vigil.server: 'web' is not among cluster.servers (known: n1, n2)"),
                servers("web", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n2, host = \"10.200.0.2\" }"));
    }

    @Test
    void thisServerIsCheckedEvenWhenAnotherEntryIsWrong() {
        assertEquals(List.of(
                "vigil.conf:2: vigil.server: 'n3' is not among cluster.servers (did you mean 'n1'? known: n1, n2)",
                "vigil.conf:5: vigil.cluster.servers[1].host: '10.200.0' is not an IPv4 address or host name"),
                servers("n3", "{ name = n1, host = \"10.200.0.1\" }", "{ name = n2, host = \"10.200.0\" }"));
    }

    @Test
    void emptyServerListNeedsAServer() {
        assertEquals(List.of("vigil.conf:3: vigil.cluster.servers: at least one server is required, e.g."
                + " [ { name = n1, host = \"10.200.0.1\" } ]"), servers("n1"));
    }

    @Test
    void serversWrittenAsAnObjectInsteadOfAListIsReported() {
        assertEquals(List.of("vigil.conf:3: vigil.cluster.servers: expected a list [ ... ] but found an object { ... }"),
                f.problems("vigil {\n  server = n1\n  cluster.servers = { name = n1, host = \"10.200.0.1\" }\n}\n"));
    }

    @Test
    void serverEntryThatIsNotAnObjectIsReported() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.servers[0]: expected an object { ... } but found \"n1\""),
                servers("n1", "\"n1\""));
    }

    @Test
    void heartbeatPauseNotLongerThanTheIntervalIsReportedOnThePause() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.failure-detector.acceptable-heartbeat-pause: 1s must be longer"
                        + " than heartbeat-interval (2s)"),
                f.problems(vigil("  cluster.failure-detector { heartbeat-interval = 2s, acceptable-heartbeat-pause = 1s }\n")));
        assertEquals(List.of("vigil.conf:4: vigil.cluster.failure-detector.acceptable-heartbeat-pause: 150ms must be longer"
                        + " than heartbeat-interval (200ms)"),
                f.problems(vigil("  cluster.failure-detector.acceptable-heartbeat-pause = 150ms\n")));
    }

    @Test
    void heartbeatIntervalRaisedOverTheDefaultPauseIsReportedOnTheInterval() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.failure-detector.heartbeat-interval: 1200ms must be shorter than"
                        + " acceptable-heartbeat-pause (1200ms, the default); lower it or raise acceptable-heartbeat-pause"),
                f.problems(vigil("  cluster.failure-detector.heartbeat-interval = 1200ms\n")));
    }

    @Test
    void adminPortEqualToThisServersClusterPortIsReportedOnTheAdminPort() {
        assertEquals(List.of("vigil.conf:4: vigil.admin.port: 7365 is also the cluster port of this server 'n1'"
                        + " (vigil.cluster.servers[0].port); choose another port"),
                f.problems(vigil("  admin.port = 7365\n")));
    }

    @Test
    void clusterPortEqualToTheDefaultAdminPortIsReportedOnTheServer() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.servers[0].port: 7366 is also the admin port of this server"
                        + " (admin.port, the default); choose another port or set admin.port"),
                servers("n1", "{ name = n1, host = \"10.200.0.1\", port = 7366 }"));
    }

    @Test
    void adminPortEqualToAnotherServersClusterPortIsFine() {
        VigilConfig c = f.load("""
                vigil {
                  server = n1
                  cluster.servers = [ { name = n1, host = "10.200.0.1" }, { name = n2, host = "10.200.0.2", port = 7366 } ]
                }
                """);
        assertEquals(7366, c.admin().port());
    }
}
