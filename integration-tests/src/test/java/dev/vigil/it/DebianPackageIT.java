package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The .deb that {@code mvn package} builds, installed on this machine with {@code dpkg -i} as an
 * operator would on a clean Debian: its files, directories and unit are where docs/install.md
 * says, the unit passes {@code systemd-analyze verify}, a one-server configuration on loopback
 * ports starts with {@code lkstart}, answers {@code lcdstatus -q}, has its manual pages, and stops
 * with {@code lkstop}; {@code dpkg -P} then leaves nothing behind. It changes the machine (it
 * reinstalls and purges the package {@code vigil}, writes /etc/vigil/vigil.conf), so it runs only
 * as root and only in CI ({@code CI=true}) or when a developer opts in with
 * {@code VIGIL_PACKAGE_TEST=1}. It purges the package even when it fails.
 */
class DebianPackageIT {
    private static final Path CONF = Path.of("/etc/vigil/vigil.conf");
    private static final Path PID_FILE = Path.of("/var/lib/vigil/vigil.pid");

    private Path deb;

    @BeforeEach
    void onlyWhereInstallingIsSafe() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "installs a .deb on this machine: needs root");
        assumeTrue("true".equals(System.getenv("CI")) || "1".equals(System.getenv("VIGIL_PACKAGE_TEST")),
                "reinstalls and purges the package vigil on this machine: runs in CI (CI=true) or with VIGIL_PACKAGE_TEST=1");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "needs dpkg (a Debian machine)");
        Path target = Path.of(System.getProperty("vigil.deploy.target", "../deploy/target"));
        try (Stream<Path> files = Files.list(target)) {
            deb = files.filter(p -> p.getFileName().toString().matches("vigil_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no vigil_*_all.deb in " + target + ": run mvn package"));
        }
    }

    @AfterEach
    void purgeEvenOnFailure() throws Exception {
        if (deb == null) {
            return;
        }
        if (Files.isExecutable(Path.of("/opt/vigil/bin/lkstop"))) {
            run(List.of("/opt/vigil/bin/lkstop"), 90);
        }
        endLeftoverDaemon();
        Run purge = run(List.of("dpkg", "--purge", "vigil"), 120);
        assertEquals(0, purge.exit(), purge.output());
    }

    @Test
    void theDebInstallsStartsAnswersStopsAndPurgesWithoutTrace() throws Exception {
        Run install = run(List.of("dpkg", "--install", deb.toString()), 300);
        assertEquals(0, install.exit(), install.output());

        // Files and directories where docs/install.md says, with the modes the postinst gives them.
        List<String> programs;
        try (Stream<Path> bin = Files.list(Path.of("/opt/vigil/bin"))) {
            programs = bin.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(programs.containsAll(List.of("vigild", "lkstart", "lkstop", "lcdstatus", "lk_log", "perform_action", "lcdremexec", "lk_configsnmp", "vigil")),
                programs::toString);
        for (String cmd : programs) {
            // Every program (a new command too) on root's PATH, with its manual page where man looks.
            assertTrue(Files.isExecutable(Path.of("/opt/vigil/bin", cmd)), cmd);
            assertEquals(Path.of("/opt/vigil/bin", cmd), Files.readSymbolicLink(Path.of("/usr/sbin", cmd)),
                    cmd + ": add its /usr/sbin link to deploy/pom.xml");
            assertTrue(Files.isRegularFile(Path.of("/usr/share/man/man8", cmd + ".8")),
                    cmd + ": add its /usr/share/man/man8 link to deploy/pom.xml");
        }
        assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/vigil.service")));
        assertTrue(Files.isRegularFile(Path.of("/opt/vigil/help/index.html")));
        assertEquals("rwx------", mode("/var/lib/vigil"));
        assertEquals("rwxr-x---", mode("/var/log/vigil"));
        Run conffiles = run(List.of("dpkg-query", "--show", "--showformat=${Conffiles}", "vigil"), 30);
        assertTrue(conffiles.output().contains("/etc/vigil/vigil.conf"), conffiles.output());
        try (Stream<Path> cache = Files.list(Path.of("/var/cache/vigil"))) {
            assertTrue(cache.anyMatch(p -> p.toString().endsWith(".jsa")), "postinst records the commands' CDS archive");
        }

        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Run verify = run(List.of("systemd-analyze", "verify", "/lib/systemd/system/vigil.service"), 60);
            assertEquals(0, verify.exit(), verify.output());
            assertEquals("", verify.output().strip(), "systemd-analyze verify has no complaint");
        }

        int clusterPort = freePort();
        int adminPort = freePort();
        Files.writeString(CONF, """
                vigil {
                  server = n1
                  state-dir = "/var/lib/vigil"
                  cluster { servers = [ { name = n1, host = "127.0.0.1", port = %d } ] }
                  admin { port = %d }
                  logs { dir = "/var/log/vigil" }
                  hierarchies = [ {
                    tag = app-pkg, priorities { n1 = 1 }
                    resources = [ { tag = app-pkg, type = generic, restore-script = "/bin/true",
                                    remove-script = "/bin/true", quick-check-script = "/bin/true" } ]
                  } ]
                }
                """.formatted(clusterPort, adminPort));

        Run start = run(List.of("/opt/vigil/bin/lkstart"), 120);
        assertEquals(0, start.exit(), start.output());
        assertTrue(start.output().contains("Vigil started on server n1"), start.output());

        Run status = run(List.of("/usr/sbin/lcdstatus", "-q"), 30);
        assertEquals(0, status.exit(), status.output());
        assertTrue(status.output().startsWith("LOCAL  TAG"), status.output());
        assertTrue(status.output().lines().anyMatch(l -> l.startsWith("n1") && l.contains("app-pkg")), status.output());

        Run man = run(List.of("man", "-P", "cat", "-M", "/opt/vigil/man", "lkstart"), 30);
        assertEquals(0, man.exit(), man.output());
        assertTrue(man.output().contains("start the Vigil daemon on this server"), man.output());
        Run manOnPath = run(List.of("man", "-P", "cat", "lcdstatus"), 30);
        assertEquals(0, manOnPath.exit(), manOnPath.output());

        Run stop = run(List.of("/opt/vigil/bin/lkstop"), 120);
        assertEquals(0, stop.exit(), stop.output());
        assertTrue(stop.output().contains("Vigil stopped on server n1."), stop.output());
        assertFalse(Files.exists(PID_FILE), "the daemon removes its pid file at a clean exit");

        Run purge = run(List.of("dpkg", "--purge", "vigil"), 120);
        assertEquals(0, purge.exit(), purge.output());
        deb = null;
        for (String path : List.of("/opt/vigil", "/etc/vigil", "/var/lib/vigil", "/var/log/vigil", "/var/cache/vigil",
                "/usr/sbin/lkstart", "/usr/share/man/man8/lkstart.8", "/lib/systemd/system/vigil.service")) {
            assertFalse(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS), path + " is left after dpkg --purge");
        }
    }

    private static String mode(String path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** A daemon the failed test left (its pid file names a Vigil JVM): ended by that pid. */
    private static void endLeftoverDaemon() throws Exception {
        if (!Files.exists(PID_FILE)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(PID_FILE).trim());
        ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("dev.vigil.")).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    /** Exit code and merged output of one command. */
    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().remove("VIGIL_CONF");
        Path out = Files.createTempFile("vigil-deb-it", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("$ " + String.join(" ", command) + " -> " + p.exitValue() + "\n" + text);
            return new Run(p.exitValue(), text);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
