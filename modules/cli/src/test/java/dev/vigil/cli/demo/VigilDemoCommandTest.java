package dev.vigil.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.cli.CommandFailure;
import dev.vigil.cli.testing.CliRun;
import dev.vigil.cli.testing.CliRun.Result;
import dev.vigil.cli.testing.Processes;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil demo} in this JVM: every bad option is a one-line usage error (exit 2) and creates
 * nothing; a port in use or a missing installation is refused before anything starts (exit 1);
 * a daemon that fails to start ends the demo with its words and its log's last lines, after
 * everything started so far is stopped and the directory removed. The whole demo, with the real
 * daemons, is DemoIT's (integration-tests).
 */
class VigilDemoCommandTest {
    @TempDir
    Path dir;

    private Result demo(String... args) {
        return new CliRun().env("PATH", System.getenv("PATH")).run(concat(args));
    }

    private static String[] concat(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "vigil";
        all[1] = "demo";
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    private void assertUsageError(Result r, String message) {
        assertEquals(2, r.exit(), r::toString);
        assertEquals("vigil demo: " + message, r.err().lines().findFirst().orElse(""), r::toString);
        assertTrue(r.err().contains("Try 'vigil demo --help' for more information."), r::toString);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void aBasePortBelow1024OrTooHighForItsThirtyFourPortsIsAUsageError() {
        assertUsageError(demo("--base-port", "1023"),
                "--base-port must be between 1024 and 65502 (the demo uses N to N+33), not 1023");
        assertUsageError(demo("--base-port", "65503"),
                "--base-port must be between 1024 and 65502 (the demo uses N to N+33), not 65503");
        assertUsageError(demo("--base-port", "many"), "Invalid value for option '--base-port': 'many' is not an int");
    }

    @Test
    void aDirThatIsAFileOrNotEmptyIsRefusedAndNotTouched() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "mine\n");
        assertUsageError(demo("--dir", file.toString()), "--dir " + file + ": not a directory");
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("data"), "mine\n");
        assertUsageError(demo("--dir", full.toString()), "--dir " + full + ": not empty; give a new or empty "
                + "directory (the demo removes what is in it at the end)");
        assertEquals("mine\n", Files.readString(full.resolve("data")));
        assertEquals(List.of(full.resolve("data")), Files.list(full).toList());
    }

    @Test
    void aPgBinWithoutTheServerProgramsIsRefusedNamingThem() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Processes.script(bin.resolve("pg_ctl"), "exit 0");
        assertUsageError(demo("--pg-bin", bin.toString()), "--pg-bin " + bin + ": no initdb, postgres there "
                + "(the demo needs initdb, pg_ctl, postgres)");
    }

    @Test
    void aPgUserIsRefusedWhenItCannotRunPostgresql() {
        String self = System.getProperty("user.name");
        if (DemoPostgres.runningAsRoot()) {
            assertUsageError(demo("--pg-user", "root"),
                    "--pg-user root: PostgreSQL refuses to run as root; name another OS user");
            assertUsageError(demo("--pg-user", "no-such-vigil-user"), "--pg-user no-such-vigil-user: no such OS user");
        } else {
            assertUsageError(demo("--pg-user", "postgres"), "--pg-user postgres needs root; run as " + self
                    + ", the demo runs PostgreSQL as " + self);
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertUsageError(demo("--keep-running"), "Unknown option: '--keep-running'");
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingIsCreatedOrStarted() throws IOException {
        int base = freeBase();
        Path demoDir = dir.resolve("demo");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 12));
            Result r = demo("--dir", demoDir.toString(), "--base-port", Integer.toString(base));
            assertEquals(1, r.exit(), r::toString);
            assertEquals("vigil demo: port " + (base + 12) + " (admin API of n2) on 127.0.0.1 is in use; choose other "
                    + "ports with --base-port N (the demo uses N to N+33)\n", r.err());
        }
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 23));
             ServerSocket pg = new ServerSocket()) {
            pg.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base));
            Result r = demo("--dir", demoDir.toString(), "--base-port", Integer.toString(base));
            assertEquals(1, r.exit(), r::toString);
            assertEquals("vigil demo: ports " + base + " (PostgreSQL), " + (base + 23) + "/udp (UDP heartbeats of n3) on "
                    + "127.0.0.1 are in use; choose other ports with --base-port N (the demo uses N to N+33)\n", r.err());
        }
        assertFalse(Files.exists(demoDir), "nothing was created");
    }

    @Test
    void withoutAnInstallationItSaysSoBeforeCreatingAnything() {
        Path demoDir = dir.resolve("demo");
        Result r = demo("--dir", demoDir.toString(), "--base-port", Integer.toString(freeBase()));
        assertEquals(1, r.exit(), r::toString);
        assertEquals("vigil demo: VIGIL_HOME is not set; run vigil demo from the installation's bin directory\n", r.err());
        assertFalse(Files.exists(demoDir));
    }

    /** A base port whose 34 ports are all free now. */
    static int freeBase() {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20000 + random.nextInt(40000);
            if (new DemoPorts(base).uses().stream().allMatch(DemoPorts.Use::free)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 34 ports found");
    }

    /** The server programs, or the test is skipped: they are what initdb needs. */
    static Path pgBin() {
        try {
            return DemoPostgres.findBin(DemoPostgres.SEARCHED, System.getenv("PATH"));
        } catch (CommandFailure e) {
            assumeTrue(false, "skipped: needs the PostgreSQL server programs (apt-get install -y postgresql)");
            throw e;
        }
    }
}
