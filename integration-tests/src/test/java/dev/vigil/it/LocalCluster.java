package dev.vigil.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Several Vigil servers on loopback ports, joined by the cluster connection and a second comm
 * path network "lan2" (UDP, other loopback ports), each with its own configuration file, state
 * directory and log directory under one temporary folder. {@link #close()} kills, by the PID
 * each daemon wrote, whatever is still running — also after a failed test.
 */
final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, Path> configs = new LinkedHashMap<>();
    private final List<Long> startedPids = new ArrayList<>();

    LocalCluster(Path dir, int servers) throws IOException {
        this.dir = dir;
        List<String> names = new ArrayList<>();
        List<Integer> clusterPorts = new ArrayList<>();
        List<Integer> adminPorts = new ArrayList<>();
        List<Integer> udpPorts = new ArrayList<>();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int i = 1; i <= servers; i++) {
            names.add("n" + i);
            clusterPorts.add(freePort(used));
            adminPorts.add(freePort(used));
            udpPorts.add(freePort(used));
        }
        StringBuilder serverList = new StringBuilder();
        StringBuilder lan2 = new StringBuilder();
        for (int i = 0; i < servers; i++) {
            serverList.append("      { name = ").append(names.get(i)).append(", host = \"127.0.0.1\", port = ")
                    .append(clusterPorts.get(i)).append(" }\n");
            lan2.append(i == 0 ? "" : ", ").append(names.get(i)).append(" = \"127.0.0.1:").append(udpPorts.get(i))
                    .append('"');
        }
        for (int i = 0; i < servers; i++) {
            String name = names.get(i);
            Path home = dir.resolve(name);
            Files.createDirectories(home);
            Path scripts = Files.createDirectories(home.resolve("scripts"));
            writeScripts(scripts, home.resolve("app-demo.running"));
            String conf = """
                    vigil {
                      server = %s
                      state-dir = "%s"
                      cluster {
                        servers = [
                    %s    ]
                        comm-paths = [ { name = lan2, addresses { %s } } ]
                        failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1200ms }
                        down-after = 2s
                      }
                      admin.port = %d
                      logs.dir = "%s"
                      hierarchies = [
                        {
                          tag = "app-demo"
                          priorities { %s }
                          resources = [
                            { tag = "app-demo", type = generic, restore-script = "%s/restore",
                              remove-script = "%s/remove", quick-check-script = "%s/quickCheck" }
                          ]
                        }
                      ]
                    }
                    """.formatted(name, home.resolve("state"), serverList, lan2, adminPorts.get(i), home.resolve("log"),
                    priorities(names), scripts, scripts, scripts);
            Path file = home.resolve("vigil.conf");
            Files.writeString(file, conf);
            configs.put(name, file);
        }
    }

    /** The demo application: a marker file that restore creates, remove deletes and quickCheck tests. */
    private static void writeScripts(Path scripts, Path marker) throws IOException {
        Map<String, String> bodies = Map.of("restore", "touch '" + marker + "'", "remove", "rm -f '" + marker + "'",
                "quickCheck", "test -e '" + marker + "'");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            Path script = scripts.resolve(e.getKey());
            Files.writeString(script, "#!/bin/sh\n" + e.getValue() + "\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** True while the demo application runs on {@code server}. */
    boolean appRunning(String server) {
        return Files.exists(dir.resolve(server).resolve("app-demo.running"));
    }

    private static String priorities(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(" = ").append((i + 1) * 10);
        }
        return sb.toString();
    }

    Path config(String server) {
        return configs.get(server);
    }

    List<String> servers() {
        return List.copyOf(configs.keySet());
    }

    /** The PID in the server's pid file, if any. */
    Optional<Long> pid(String server) throws IOException {
        Path pidFile = dir.resolve(server).resolve("state/vigil.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
    }

    /**
     * Remembers a daemon this test started, and its fencing guard (a detached process that outlives
     * a killed daemon by design), so that {@link #close()} can end them.
     */
    void started(String server) throws IOException {
        pid(server).ifPresent(startedPids::add);
        Path guardPid = dir.resolve(server).resolve("state/guard.pid");
        if (Files.exists(guardPid)) {
            startedPids.add(Long.parseLong(Files.readString(guardPid).trim()));
        }
    }

    /** A process a test started on a server through the cluster (by PID): {@link #close()} ends it too. */
    void startedProcess(long pid) {
        startedPids.add(pid);
    }

    Path logFile(String server, String file) {
        return dir.resolve(server).resolve("log").resolve(file);
    }

    /** SIGKILLs the daemon of {@code server} (a crash), by its PID. */
    long kill(String server) throws IOException, InterruptedException {
        long pid = pid(server).orElseThrow(() -> new IllegalStateException(server + " has no pid file"));
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(server + " pid " + pid + " is not running"));
        h.destroyForcibly();
        h.onExit().join();
        return pid;
    }

    @Override
    public void close() {
        for (long pid : startedPids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().join();
            });
        }
    }

    private static int freePort(java.util.Set<Integer> used) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (used.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }
}
