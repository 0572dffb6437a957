package dev.vigil.cli;

import dev.vigil.core.CommPathState;
import dev.vigil.core.ResourceState;
import dev.vigil.core.ServerState;
import dev.vigil.core.ShutdownStrategy;
import dev.vigil.core.config.ResourceConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import dev.vigil.core.status.CommPathStatus;
import dev.vigil.core.status.HierarchyInfo;
import dev.vigil.core.status.ResourceStatus;
import dev.vigil.core.status.ServerStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The workload from which the bin scripts record the commands' class-data sharing archive
 * ({@code -XX:ArchiveClassesAtExit}, see {@code bin/vigil-command} and docs/benchmarks.md): it
 * runs the commands' usual paths in one JVM — {@code lcdstatus} in every layout, {@code vigil
 * status --json}, help and usage errors, {@code lkstart} and {@code lkstop} against a daemon
 * that is already running, {@code lk_log}, {@code vigil check-config} — against a
 * {@link CannedAdminApi} on 127.0.0.1 and a configuration in a temporary directory, so that the
 * archive holds what those commands load, whichever command runs first after an installation.
 * It touches nothing outside its temporary directory and exits 1, naming the step, if a step
 * does not end as it should (an archive of a failing path would be worth little).
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run();
        } catch (IOException | RuntimeException e) {
            System.err.println("vigil CDS training failed: " + e);
            code = 1;
        }
        System.exit(code);
    }

    /** Runs every step; 0 when each ended as expected. */
    static int run() throws IOException {
        Path dir = Files.createTempDirectory("vigil-cds-training");
        try (CannedAdminApi api = new CannedAdminApi()) {
            Path conf = writeConfig(dir, api.port());
            VigilConfig config = ConfigOption.load(conf);
            api.serve(Json.mapper().writeValueAsString(status(config)));
            Files.createDirectories(config.stateDir());
            Files.writeString(config.admin().tokenFile(), api.token() + "\n");
            Files.createDirectories(config.logs().dir());
            Files.writeString(config.logs().dir().resolve("vigil.log"), "2025-11-26 13:40:00.000 n1 INFO  training\n");
            String c = conf.toString();
            String[][] steps = {
                {"0", "lcdstatus", "-q", "-c", c},
                {"0", "lcdstatus", "-c", c},
                {"0", "lcdstatus", "-e", "-d", "n2", "-r", "pg", "-c", c},
                {"0", "vigil", "status", "--json", "-c", c},
                {"0", "vigil", "status", "-q", "-c", c},
                {"0", "lcdstatus", "--help"},
                {"2", "lcdstatus", "-x", "-c", c},
                {"0", "lk_log", "-c", c, "log"},
                {"0", "vigil", "check-config", c},
                {"0", "lkstart", "-c", c},
                {"0", "lkstop", "--help"},
                {"0", "lkstop", "-c", c},
            };
            for (String[] step : steps) {
                int expected = Integer.parseInt(step[0]);
                String[] command = List.of(step).subList(1, step.length).toArray(String[]::new);
                int got = Main.run(command, quietContext());
                if (got != expected) {
                    System.err.println("vigil CDS training: '" + String.join(" ", command) + "' exited " + got
                            + ", expected " + expected);
                    return 1;
                }
            }
            return 0;
        } finally {
            deleteTree(dir);
        }
    }

    private static CliContext quietContext() {
        return new CliContext(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), Map.of(),
                new ServiceManager(Path.of("/nonexistent/vigil-cds-training"), "systemctl"), ZoneId.systemDefault());
    }

    /** Two servers on loopback ports nobody binds; one hierarchy using every resource type. */
    private static Path writeConfig(Path dir, int adminPort) throws IOException {
        Path conf = dir.resolve("vigil.conf");
        Files.writeString(conf, """
                vigil {
                  server = n1
                  state-dir = "%s"
                  cluster {
                    servers = [ { name = n1, host = "127.0.0.1", port = 1 }, { name = n2, host = "127.0.0.1", port = 2 } ]
                  }
                  admin { port = %d }
                  logs { dir = "%s" }
                  hierarchies = [ {
                    tag = pg, priorities { n1 = 1, n2 = 10 }
                    resources = [
                      { tag = ip, type = ip, address = "10.200.0.100", interface = eth0 }
                      { tag = fs, type = filesystem, device = "/dev/loop7", mount-point = "/share" }
                      { tag = app, type = generic, restore-script = "/bin/true", remove-script = "/bin/true",
                        quick-check-script = "/bin/true" }
                      { tag = pg, type = postgresql, data-dir = "/share/data", depends-on = [ip, fs, app] }
                    ]
                  } ]
                }
                """.formatted(dir.resolve("state"), adminPort, dir.resolve("logs")));
        return conf;
    }

    /** What a daemon of that configuration reports: n1 runs the hierarchy, n2 stands by. */
    private static ClusterStatus status(VigilConfig config) {
        Instant now = Instant.now();
        List<HierarchyInfo> hierarchies = config.hierarchies().stream().map(HierarchyInfo::of).toList();
        Map<String, ResourceStatus> n1 = new LinkedHashMap<>();
        Map<String, ResourceStatus> n2 = new LinkedHashMap<>();
        config.hierarchies().forEach(h -> h.resources().stream().map(ResourceConfig::tag).forEach(tag -> {
            n1.put(tag, new ResourceStatus(ResourceState.ISP, "restore action has succeeded"));
            n2.put(tag, new ResourceStatus(ResourceState.OSU, "in service on another server"));
        }));
        List<ServerStatus> servers = List.of(
                new ServerStatus("n1", "127.0.0.1", ServerState.ALIVE, now, ShutdownStrategy.DO_NOT_SWITCHOVER,
                        List.of(new CommPathStatus("n2", "TCP", "127.0.0.1:1", "127.0.0.1:2", CommPathState.ALIVE, 1, 0)),
                        n1),
                new ServerStatus("n2", "127.0.0.1", ServerState.DEAD, now.minusSeconds(60), ShutdownStrategy.SWITCHOVER,
                        List.of(new CommPathStatus("n1", "TCP", "127.0.0.1:2", "127.0.0.1:1", CommPathState.DEAD, 1, 1)),
                        n2));
        return new ClusterStatus("n1", config.cluster().name(), now, servers, hierarchies);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("vigil CDS training: cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
