package dev.vigil.core.config;

import static dev.vigil.core.config.ConfigFixture.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.core.config.CommPathNetwork.Endpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster.comm-paths: further networks between the servers, each checked against the servers and ports. */
class CommPathConfigTest {
    @TempDir
    Path dir;
    ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(dir);
    }

    /** The problems of a two-server configuration whose comm-paths entries start at line 5, one per line. */
    private List<String> paths(String... entries) {
        return f.problems(vigil("  cluster.comm-paths = [\n"
                + String.join("", List.of(entries).stream().map(e -> "    " + e + "\n").toList()) + "  ]\n"));
    }

    @Test
    void withoutCommPathsTheClusterConnectionIsTheOnlyPath() {
        VigilConfig c = f.load(vigil(""));
        assertEquals(List.of(), c.cluster().commPaths());
        assertEquals(1, c.cluster().pathCount("n1", "n2"));
    }

    @Test
    void everyTwoServersWithAnAddressOnANetworkGetAPathNumberedAfterTheClusterPath() {
        VigilConfig c = f.load("""
                vigil {
                  server = n1
                  cluster.servers = [ { name = n1, host = "10.200.0.1" }, { name = n2, host = "10.200.0.2" },
                                      { name = n3, host = "10.200.0.3" } ]
                  cluster.comm-paths = [
                    { name = lan2, port = 7375, addresses { n1 = "10.201.0.1", n2 = "10.201.0.2", n3 = "10.201.0.3:7400" } }
                    { name = lan3, addresses { n1 = "10.202.0.1", n2 = "10.202.0.2" } }
                  ]
                }
                """);
        ClusterSettings cluster = c.cluster();
        CommPathNetwork lan2 = cluster.commPaths().get(0);
        CommPathNetwork lan3 = cluster.commPaths().get(1);
        assertEquals(new CommPathNetwork("lan2", 2, 7375, Map.of("n1", new Endpoint("10.201.0.1", 7375),
                "n2", new Endpoint("10.201.0.2", 7375), "n3", new Endpoint("10.201.0.3", 7400))), lan2);
        assertEquals(new CommPathNetwork("lan3", 3, CommPathNetwork.DEFAULT_PORT, Map.of(
                "n1", new Endpoint("10.202.0.1", 7375), "n2", new Endpoint("10.202.0.2", 7375))), lan3);
        assertEquals(List.of(lan2, lan3), cluster.networksBetween("n1", "n2"));
        assertEquals(List.of(lan2), cluster.networksBetween("n3", "n1"));
        assertEquals(3, cluster.pathCount("n2", "n1"));
        assertEquals(2, cluster.pathCount("n1", "n3"));
        assertEquals("10.201.0.1", lan2.displayAddress("n1"));
        assertEquals("10.201.0.3:7400", lan2.displayAddress("n3"));
    }

    @Test
    void severalServersOnOneHostAreTellApartByTheirPorts() {
        VigilConfig c = f.load("""
                vigil {
                  server = n1
                  cluster.servers = [ { name = n1, host = "127.0.0.1", port = 7401 }, { name = n2, host = "127.0.0.1", port = 7402 } ]
                  cluster.comm-paths = [ { name = lo2, addresses { n1 = "127.0.0.1:7411", n2 = "127.0.0.1:7412" } } ]
                }
                """);
        assertEquals(new Endpoint("127.0.0.1", 7412), c.cluster().commPaths().get(0).address("n2").orElseThrow());
    }

    @Test
    void anAddressOfAnUnknownServerIsRefusedWithTheClosestName() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n3: unknown server 'n3'"
                        + " (did you mean 'n1'? known: n1, n2)"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.1\", n3 = \"10.201.0.3\" } }"));
    }

    @Test
    void malformedAddressesAreRefused() {
        assertEquals(List.of(
                "vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n1: '10.201.0.300' is not an IPv4 address or host name",
                "vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n2: '10.201.0.2:http': expected host or host:port"
                        + " with a port number after the ':'",
                "vigil.conf:6: vigil.cluster.comm-paths[1].addresses.n1: '10.202.0.1:70000': port 70000 is out of range"
                        + " (1 to 65535)",
                "vigil.conf:6: vigil.cluster.comm-paths[1].addresses.n2: must not be empty"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.300\", n2 = \"10.201.0.2:http\" } }",
                        "{ name = lan3, addresses { n1 = \"10.202.0.1:70000\", n2 = \"\" } }"));
    }

    @Test
    void aNetworkWithFewerThanTwoServersJoinsNobody() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].addresses: needs the addresses of at least two"
                        + " servers (a comm path joins two), e.g. { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" }"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.1\" } }"));
    }

    @Test
    void duplicateNetworkNameIsReportedOnTheSecondEntry() {
        assertEquals(List.of("vigil.conf:6: vigil.cluster.comm-paths[1].name: duplicate comm path name 'lan2' (also at line 5)"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }",
                        "{ name = lan2, port = 7376, addresses { n1 = \"10.202.0.1\", n2 = \"10.202.0.2\" } }"));
    }

    @Test
    void networkNameWithASpaceIsRefused() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].name: 'lan 2' may contain only letters, digits,"
                        + " '-' and '_'"),
                paths("{ name = \"lan 2\", addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }"));
    }

    @Test
    void networkPortOutOfRangeIsRefused() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].port: 0 is out of range (1 to 65535)"),
                paths("{ name = lan2, port = 0, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }"));
    }

    @Test
    void twoServersAtOneAddressOfANetworkAreRefused() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n2: address 10.201.0.1:7375 is already"
                        + " used by server 'n1' on comm path 'lan2'"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.1\" } }"));
    }

    @Test
    void oneAddressOnTwoNetworksIsRefused() {
        assertEquals(List.of("vigil.conf:6: vigil.cluster.comm-paths[1].addresses.n1: address 10.201.0.1:7375 is already"
                        + " used by server 'n1' on comm path 'lan2'"),
                paths("{ name = lan2, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }",
                        "{ name = lan3, addresses { n1 = \"10.201.0.1\", n2 = \"10.202.0.2\" } }"));
    }

    @Test
    void aNetworkPortThatIsAServersClusterPortIsRefused() {
        assertEquals(List.of(
                "vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n1: port 7365 (the comm path's port) is also the"
                        + " cluster port of server 'n1' (vigil.cluster.servers[0].port) on 10.200.0.1; give comm path"
                        + " 'lan2' a port of its own",
                "vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n2: port 7365 (the comm path's port) is also the"
                        + " cluster port of server 'n2' (vigil.cluster.servers[1].port) on 10.200.0.2; give comm path"
                        + " 'lan2' a port of its own"),
                paths("{ name = lan2, port = 7365, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }"));
    }

    @Test
    void anAddressOnAnotherServersClusterHostAndPortIsRefused() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n1: port 7400 is also the cluster port"
                        + " of server 'n2' (vigil.cluster.servers[1].port) on 10.200.0.2; give comm path 'lan2' a port"
                        + " of its own"),
                f.problems("""
                        vigil {
                          server = n1
                          cluster.servers = [ { name = n1, host = "10.200.0.1" }, { name = n2, host = "10.200.0.2", port = 7400 } ]
                          cluster.comm-paths = [
                            { name = lan2, addresses { n1 = "10.200.0.2:7400", n2 = "10.201.0.2" } }
                          ]
                        }
                        """));
    }

    @Test
    void aNetworkPortThatIsThisServersAdminPortIsRefused() {
        assertEquals(List.of("vigil.conf:5: vigil.cluster.comm-paths[0].addresses.n1: port 7366 is also the admin port"
                        + " of this server (vigil.admin.port); give comm path 'lan2' a port of its own"),
                paths("{ name = lan2, port = 7366, addresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }"));
    }

    @Test
    void anEntryWithoutAddressesOrWithAMisspeltKeyIsReported() {
        assertEquals(List.of(
                "vigil.conf:5: vigil.cluster.comm-paths[0].addresses: missing required key",
                "vigil.conf:5: vigil.cluster.comm-paths[0].adresses: unknown key (did you mean 'addresses'?)"),
                paths("{ name = lan2, adresses { n1 = \"10.201.0.1\", n2 = \"10.201.0.2\" } }"));
    }

    @Test
    void commPathsWrittenAsAnObjectInsteadOfAListIsReported() {
        assertEquals(List.of("vigil.conf:4: vigil.cluster.comm-paths: expected a list [ ... ] but found an object { ... }"),
                f.problems(vigil("  cluster.comm-paths { name = lan2 }\n")));
    }
}
