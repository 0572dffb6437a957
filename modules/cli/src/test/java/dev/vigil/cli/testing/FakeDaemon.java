package dev.vigil.cli.testing;

import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.HierarchyConfig;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.ServerConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in daemon process for the lkstart/lkstop tests ({@code vigild --config FILE}): it keeps
 * the daemon's side of the start/stop contract — pid file, 64-hex token file (0600), admin API on
 * admin.port, exit after a shutdown request — without Pekko. With {@code --silent} it writes its
 * pid file and never answers (a hung daemon). Either way it exits on its own after two minutes,
 * so a failed test cannot leave it behind for long.
 */
public final class FakeDaemon {
    /** The file where the daemon notes the mode of the shutdown request it received. */
    public static final String MODE_FILE = "shutdown.mode";

    private FakeDaemon() {
    }

    public static void main(String[] args) throws Exception {
        VigilConfig c = ConfigLoader.load(Path.of(args[1]));
        boolean silent = args.length > 2 && args[2].equals("--silent");
        Files.createDirectories(c.stateDir());
        Path pidFile = c.stateDir().resolve("vigil.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        if (!silent) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = HexFormat.of().formatHex(random);
            Files.deleteIfExists(c.admin().tokenFile());
            Files.createFile(c.admin().tokenFile(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(c.admin().tokenFile(), token);
            System.out.println("fake vigild: serving on 127.0.0.1:" + c.admin().port());
            FakeAdminApi api = FakeAdminApi.start(c.admin().port(), token, status(c));
            api.onShutdown(() -> {
                try {
                    Files.writeString(c.stateDir().resolve(MODE_FILE), api.shutdownModes().get(0));
                    Files.deleteIfExists(pidFile);
                } catch (Exception e) {
                    e.printStackTrace();
                }
                new Thread(() -> {
                    sleep(200);
                    System.exit(0);
                }).start();
            });
        }
        sleep(120_000);
        System.exit(0);
    }

    private static ClusterStatus status(VigilConfig c) {
        Instant now = Instant.now();
        Map<String, ResourceStatus> resources = new LinkedHashMap<>();
        for (HierarchyConfig h : c.hierarchies()) {
            for (ResourceConfig r : h.resources()) {
                resources.put(r.tag(), new ResourceStatus(ResourceState.OSU, "Vigil is starting"));
            }
        }
        List<ServerStatus> servers = c.cluster().servers().stream().map((ServerConfig s) -> s.name().equals(c.serverName())
                ? new ServerStatus(s.name(), s.displayAddress(), ServerState.ALIVE, now, c.shutdownStrategy(), List.of(), resources)
                : new ServerStatus(s.name(), s.displayAddress(), ServerState.DEAD, null, null, List.of(), Map.of())).toList();
        return new ClusterStatus(c.serverName(), c.cluster().name(), now, servers,
                c.hierarchies().stream().map(HierarchyInfo::of).toList());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
