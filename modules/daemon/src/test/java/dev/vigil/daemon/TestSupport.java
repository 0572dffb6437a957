package dev.vigil.daemon;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.status.ClusterStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Shared helpers of the daemon tests: configurations on loopback ports, polling, HTTP, clean-up. */
public final class TestSupport {
    /** Short failure-detector timings so failures are detected in about a second. */
    public static final Duration HEARTBEAT = Duration.ofMillis(100);
    public static final Duration PAUSE = Duration.ofMillis(600);
    public static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    /**
     * Disk lease clocks for a lease device on a loaded test machine (a loop device over /tmp, other
     * builds running): renewals may take a few hundred ms there, which the 500 ms defaults do not
     * survive. They satisfy the same inequalities (docs/split-brain.md).
     */
    public static final String SLOW_DISK_LEASE = "renew-interval = 100ms, io-timeout = 500ms, renew-timeout = 2s, "
            + "guard-timeout = 2s, fence-timeout = 200ms, safety-margin = 150ms, lease-timeout = 3s";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestSupport() {
    }

    /** Every port {@link #freePort} handed out in this JVM: two calls never return the same port. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port nothing listens on right now and that no earlier call in this JVM returned (the
     * kernel may offer a just-closed ephemeral port again, and a test that asks for its cluster
     * ports and then its admin ports must not get one port twice).
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static List<Integer> freePorts(int n) {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < n) {
            ports.add(freePort());
        }
        return ports;
    }

    /**
     * Writes {@code <dir>/<server>/vigil.conf} for {@code server} of a cluster of servers n1, n2, …
     * on 127.0.0.1 at {@code clusterPorts}, with one hierarchy on n1 (and n2) shaped like the
     * manual's (tags ip-10.200.0.100, fs-/share, powergres-/share/data), and loads it as the
     * daemon would. Its resources are generic ones whose scripts only create, test and delete a
     * marker file per resource in {@code <dir>/<server>/markers}: tests that are not about the kits
     * must not touch the machine's addresses, disks or databases, yet the daemon brings the
     * hierarchy in service on its highest-priority server as it always does.
     */
    public static VigilConfig config(Path dir, String server, List<Integer> clusterPorts, int adminPort) {
        return config(dir, server, clusterPorts, adminPort, "");
    }

    /**
     * As {@link #config(Path, String, List, int)}, with {@code clusterExtra} written inside
     * {@code cluster { ... }} (e.g. {@link #commPaths}).
     */
    public static VigilConfig config(Path dir, String server, List<Integer> clusterPorts, int adminPort,
                                     String clusterExtra) {
        return config(dir, server, clusterPorts, adminPort, clusterExtra, "");
    }

    /**
     * As {@link #config(Path, String, List, int, String)}, with {@code moreHierarchies} (HOCON
     * objects, using the same generic marker-file scripts) after the PostgreSQL-shaped one.
     */
    public static VigilConfig config(Path dir, String server, List<Integer> clusterPorts, int adminPort,
                                     String clusterExtra, String moreHierarchies) {
        Path scripts = markerScripts(dir.resolve(server));
        return configWith(dir, server, clusterPorts, adminPort, clusterExtra, """
                  resource-defaults.generic { restore-script = "%s/restore", remove-script = "%s/remove",
                    quick-check-script = "%s/check", check-interval = 1s }
                  hierarchies = [ {
                    tag = "powergres-/share/data", priorities { %s }
                    resources = [
                      { tag = "ip-10.200.0.100", type = generic }
                      { tag = "fs-/share", type = generic }
                      { tag = "powergres-/share/data", type = generic, depends-on = ["ip-10.200.0.100", "fs-/share"] }
                    ] }
                    %s ]
                """.formatted(scripts, scripts, scripts, clusterPorts.size() == 1 ? "n1 = 1" : "n1 = 1, n2 = 10",
                moreHierarchies));
    }

    /**
     * Writes and loads {@code <dir>/<server>/vigil.conf} for {@code server} of a cluster of servers
     * n1, n2, … on 127.0.0.1 at {@code clusterPorts} (short failure-detector timings), its state in
     * {@code <dir>/<server>/state}, the logs of every server in {@code <dir>/logs}, and {@code body}
     * (more settings inside {@code vigil { }}, e.g. the hierarchies).
     */
    public static VigilConfig configWith(Path dir, String server, List<Integer> clusterPorts, int adminPort, String body) {
        return configWith(dir, server, clusterPorts, adminPort, "", body);
    }

    /**
     * As {@link #configWith(Path, String, List, int, String)}, with {@code clusterExtra} written
     * inside {@code cluster { ... }} (e.g. {@link #commPaths}).
     */
    public static VigilConfig configWith(Path dir, String server, List<Integer> clusterPorts, int adminPort,
                                         String clusterExtra, String body) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < clusterPorts.size(); i++) {
            servers.append("{ name = n").append(i + 1).append(", host = \"127.0.0.1\", port = ")
                    .append(clusterPorts.get(i)).append(" }\n");
        }
        Path home = dir.resolve(server);
        String text = """
                vigil {
                  server = %s
                  state-dir = "%s"
                  cluster {
                    name = vigil
                    servers = [ %s ]
                    failure-detector { heartbeat-interval = %dms, acceptable-heartbeat-pause = %dms }
                    down-after = %dms
                    fencing.guard = false
                    %s
                  }
                  admin { port = %d }
                  logs { dir = "%s" }
                %s}
                """.formatted(server, home.resolve("state"), servers, HEARTBEAT.toMillis(), PAUSE.toMillis(),
                DOWN_AFTER.toMillis(), clusterExtra, adminPort, dir.resolve("logs"), body);
        try {
            Files.createDirectories(home);
            Path file = home.resolve("vigil.conf");
            Files.writeString(file, text);
            return ConfigLoader.load(file);
        } catch (Exception e) {
            throw new IllegalStateException("test configuration does not load:\n" + text, e);
        }
    }

    /**
     * Writes restore, remove and check scripts into {@code <home>/scripts} that keep one marker
     * file per resource tag in {@code <home>/markers} (touch, rm, test -e); returns the scripts' folder.
     */
    public static Path markerScripts(Path home) {
        try {
            Path scripts = Files.createDirectories(home.resolve("scripts"));
            Path markers = Files.createDirectories(home.resolve("markers"));
            String marker = "f=\"" + markers + "/$(printf %s \"$2\" | tr / _)\"\n";
            script(scripts.resolve("restore"), marker + "touch \"$f\"\n");
            script(scripts.resolve("remove"), marker + "rm -f \"$f\"\n");
            script(scripts.resolve("check"), marker + "test -e \"$f\"\n");
            return scripts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an executable {@code /bin/sh} script. */
    public static Path script(Path file, String body) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code comm-paths} with one network {@code name} joining servers n1, n2, … at 127.0.0.1 on {@code udpPorts}. */
    public static String commPaths(String name, List<Integer> udpPorts) {
        StringBuilder addresses = new StringBuilder();
        for (int i = 0; i < udpPorts.size(); i++) {
            addresses.append(i == 0 ? " n" : ", n").append(i + 1).append(" = \"127.0.0.1:").append(udpPorts.get(i))
                    .append('"');
        }
        return "comm-paths = [ { name = " + name + ", addresses {" + addresses + " } } ]";
    }

    /** UDP ports free on 127.0.0.1 right now, all different and none of {@code exclude}. */
    public static List<Integer> freeUdpPorts(int n, List<Integer> exclude) {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < n) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                if (!ports.contains(p) && !exclude.contains(p)) {
                    ports.add(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ports;
    }

    /** The lines of {@code file} written after its first {@code offset} characters. */
    public static String since(Path file, int offset) {
        String all = read(file);
        return all.length() <= offset ? "" : all.substring(offset);
    }

    /** How many times {@code needle} occurs in {@code text}. */
    public static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** Pekko settings for several daemons in one JVM (each registers its own cluster MBean). */
    public static Config sharedJvm() {
        return ConfigFactory.parseString("pekko.cluster.jmx.multi-mbeans-in-same-jvm = on");
    }

    /**
     * As {@link #sharedJvm()}, and {@code ActorSystem.terminate()} stops without leaving the cluster
     * and without running CoordinatedShutdown afterwards (which the cluster would do with the
     * downing reason, making the daemon rejoin): a crash.
     */
    public static Config crashable() {
        return ConfigFactory.parseString("""
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                pekko.cluster.run-coordinated-shutdown-when-down = off
                """).withFallback(sharedJvm());
    }

    public static ClusterStatus status(ActorSystem<Guardian.Command> system) {
        return AskPattern.<Guardian.Command, ClusterStatus>ask(system, Guardian.GetStatus::new, Duration.ofSeconds(3),
                system.scheduler()).toCompletableFuture().join();
    }

    /**
     * As {@link #await(String, Duration, BooleanSupplier)}; the failure also shows {@code context}
     * (say, the last lines of the servers' log), read when it fails.
     */
    public static Duration await(String what, Duration timeout, BooleanSupplier condition,
                                 java.util.function.Supplier<String> context) {
        try {
            return await(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + context.get(), e);
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Polls {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code timeout}. */
    public static Duration await(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (RuntimeException e) {
                // not yet: e.g. an ask timed out while a server restarts
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HttpResponse<String> http(String method, int port, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)) // an action (a two-phase switchover) answers when it is done
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every daemon still running (in parallel, 30 s at most) and deletes {@code dir}, even when a stop fails. */
    public static void stopAll(Daemon[] daemons, Path dir) {
        List<CompletableFuture<Integer>> stopping = new ArrayList<>();
        for (Daemon d : daemons) {
            if (d != null && !d.whenStopped().toCompletableFuture().isDone()) {
                stopping.add(d.stop().toCompletableFuture());
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("daemons did not stop", e);
        } finally {
            deleteRecursively(dir);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
