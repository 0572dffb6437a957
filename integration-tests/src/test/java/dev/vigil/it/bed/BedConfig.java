package dev.vigil.it.bed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one scenario's cluster, and the configuration files it gives each server: servers
 * n1 (priority 1) and n2 (priority 10) run the hierarchy of the manual (virtual IP + ext4 on the
 * shared disk + PostgreSQL with its data directory there); a witness n3 is in
 * {@code cluster.servers} but in no priority list; the second comm path is the UDP network on br1.
 * {@link #extra(String)} adds HOCON text every server reads after its main file (as
 * {@code conf.d/90-scenario.conf}, merged key by key): the settings of a scenario that the
 * generator does not know, such as a disk lease. Immutable: every setter returns a copy.
 */
public record BedConfig(boolean witness, boolean secondPath, String shutdownStrategy, List<String> pingList,
        String extra, boolean diskPaths) {

    public static final String TAG = "powergres-bed";
    public static final String VIP = "10.200.0.100";
    public static final int PG_PORT = 5432;

    /** Two servers, both comm paths, do-not-switchover, no ping list. */
    public static BedConfig twoServers() {
        return new BedConfig(false, true, "do-not-switchover", List.of(), "", false);
    }

    public BedConfig withWitness() {
        return new BedConfig(true, secondPath, shutdownStrategy, pingList, extra, diskPaths);
    }

    public BedConfig withoutSecondPath() {
        return new BedConfig(witness, false, shutdownStrategy, pingList, extra, diskPaths);
    }

    public BedConfig shutdownStrategy(String strategy) {
        return new BedConfig(witness, secondPath, strategy, pingList, extra, diskPaths);
    }

    public BedConfig pingList(String... addresses) {
        return new BedConfig(witness, secondPath, shutdownStrategy, List.of(addresses), extra, diskPaths);
    }

    /** HOCON every server reads after its main file, e.g. {@code vigil.cluster.lease { … }}. */
    public BedConfig extra(String hocon) {
        return new BedConfig(witness, secondPath, shutdownStrategy, pingList, hocon, diskPaths);
    }

    /**
     * n1 and n2 each reach the shared disk through a path of their own, which {@code Bed.cutDiskPath}
     * can fail on one server alone (a loop device per server over a FUSE pass-through of the image).
     */
    public BedConfig withDiskPaths() {
        return new BedConfig(witness, secondPath, shutdownStrategy, pingList, extra, true);
    }

    /** The servers of the cluster, by name, with the last octet of their addresses. */
    public Map<String, Integer> servers() {
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("n1", 1);
        out.put("n2", 2);
        if (witness) {
            out.put("n3", 3);
        }
        return out;
    }

    /** The main configuration file of {@code server}; {@code home} is its folder, {@code disk} the shared disk. */
    String mainFile(String server, Path home, String device, Path mountPoint) {
        List<String> list = new ArrayList<>();
        List<String> lan2 = new ArrayList<>();
        servers().forEach((name, octet) -> {
            list.add("      { name = " + name + ", host = \"10.200.0." + octet + "\" }");
            lan2.add(name + " = \"10.201.0." + octet + "\"");
        });
        String commPaths = secondPath ? "comm-paths = [ { name = lan2, addresses { " + String.join(", ", lan2) + " } } ]" : "";
        String pings = pingList.isEmpty() ? "" : ", ping-list = [" + String.join(", ", pingList.stream().map(a -> "\"" + a + "\"").toList()) + "], ping-tries = 1";
        return """
                vigil {
                  server = %s
                  state-dir = "%s"
                  shutdown-strategy = %s
                  cluster {
                    name = bed
                    servers = [
                %s
                    ]
                    %s
                  }
                  logs.dir = "%s"
                  hierarchies = [
                    {
                      tag = "%s"
                      priorities { n1 = 1, n2 = 10 }
                      resources = [
                        { tag = "ip-%s", type = ip, address = "%s", interface = eth0%s }
                        { tag = "fs-%s", type = filesystem, device = "%s", mount-point = "%s" }
                        { tag = "%s", type = postgresql, data-dir = "%s", port = %d,
                          depends-on = ["ip-%s", "fs-%s"] }
                      ]
                    }
                  ]
                }
                """.formatted(server, home.resolve("state"), shutdownStrategy, String.join("\n", list), commPaths,
                home.resolve("log"), TAG, VIP, VIP, pings, mountPoint, device, mountPoint, TAG,
                mountPoint.resolve("data"), PG_PORT, VIP, mountPoint);
    }
}
