package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.core.LogType;
import dev.vigil.core.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code vigild}'s command line, its refusal of bad configurations, and a whole start-to-stop run. */
class MainTest {
    private Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void tempDir() throws Exception {
        dir = Files.createTempDirectory("vigil-main-test");
    }

    @AfterEach
    void cleanUp() {
        TestSupport.deleteRecursively(dir);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(0, run("--help"));
        assertEquals(Main.USAGE + "\n", out());
    }

    @Test
    void unknownOptionGivesOneLineErrorAndUsageWithExitCode2() {
        assertEquals(2, run("--conf", "x.conf"));
        assertEquals("vigild: unknown option '--conf'\n" + Main.USAGE + "\n", err());
    }

    @Test
    void configOptionWithoutFileGivesExitCode2() {
        assertEquals(2, run("--config"));
        assertEquals("vigild: option --config needs a file name\n" + Main.USAGE + "\n", err());
    }

    @Test
    void strayArgumentGivesExitCode2() {
        assertEquals(2, run("start"));
        assertTrue(err().startsWith("vigild: unexpected argument 'start'\n"));
    }

    @Test
    void missingConfigFileIsRefusedWithExitCode2() {
        Path missing = dir.resolve("nope.conf");
        assertEquals(2, run("--config", missing.toString()));
        assertEquals("vigild: " + missing + ": file not found\n", err());
    }

    @Test
    void invalidConfigurationPrintsEveryProblemOnItsOwnLineAndExits2() throws Exception {
        Path file = dir.resolve("vigil.conf");
        Files.writeString(file, """
                vigil {
                  server = n9
                  cluster { servers = [ { name = n1, host = "127.0.0.1" } ] }
                  colour = blue
                }
                """);
        assertEquals(2, run("--config=" + file));
        List<String> lines = err().lines().toList();
        assertTrue(lines.size() >= 2, err());
        for (String line : lines) {
            assertTrue(line.startsWith("vigild: " + file + ":"), line);
        }
        assertTrue(err().contains("n9"), err());
        assertTrue(err().contains("colour"), err());
        assertFalse(Files.exists(dir.resolve("n1")), "nothing started");
    }

    @Test
    void daemonWritesPidAndTokenAnswersStatusAndStopsCleanlyOnShutdownRequest() throws Exception {
        int adminPort = TestSupport.freePort();
        VigilConfig config = TestSupport.config(dir, "n1", List.of(TestSupport.freePort()), adminPort);
        Path pid = config.stateDir().resolve("vigil.pid");
        Path tokenFile = config.admin().tokenFile();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run("--config", config.sources().get(0).toString()));
        try {
            TestSupport.await("the token file", Duration.ofSeconds(20), () -> Files.exists(tokenFile));
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pid));
            String token = Files.readString(tokenFile).trim();
            assertTrue(token.matches("[0-9a-f]{64}"), token);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));

            TestSupport.await("status answered", Duration.ofSeconds(20),
                    () -> TestSupport.http("GET", adminPort, "/v1/status", token, null).statusCode() == 200);
            HttpResponse<String> accepted = TestSupport.http("POST", adminPort, "/v1/shutdown", token,
                    "{\"mode\": \"leave-running\"}");
            assertEquals(202, accepted.statusCode());
            assertEquals("{\"accepted\":true,\"mode\":\"leave-running\"}", accepted.body());

            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            assertFalse(Files.exists(pid), "pid file removed at a clean exit");
            String main = TestSupport.read(config.logs().dir().resolve(LogType.LOG.fileName()));
            assertTrue(main.contains("n1 INFO  shutdown of server \"n1\" requested: admin API, mode \"leave-running\""),
                    main);
            assertTrue(main.contains("n1 INFO  Vigil shutdown initiated on server \"n1\" AT: "), main);
            assertTrue(main.contains("n1 INFO  Vigil shutdown complete on server \"n1\" AT: "), main);
            assertTrue(out().startsWith("vigild: starting server \"n1\" of cluster \"vigil\""), out());
        } finally {
            stopIfRunning(exit, adminPort, tokenFile);
        }
    }

    @Test
    void adminPortInUseStopsTheDaemonWithExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            VigilConfig config = TestSupport.config(dir, "n1", List.of(TestSupport.freePort()), taken.getLocalPort());
            int code = CompletableFuture.supplyAsync(() -> run("--config", config.sources().get(0).toString()))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(1, code);
            String main = TestSupport.read(config.logs().dir().resolve(LogType.LOG.fileName()));
            assertTrue(main.contains("n1 ERROR Vigil startup failed on server \"n1\": the admin API cannot listen on "
                    + "127.0.0.1:" + taken.getLocalPort()), main);
            assertFalse(Files.exists(config.stateDir().resolve("vigil.pid")));
        }
    }

    @Test
    void clusterPortInUseRefusesToStartWithExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            VigilConfig config = TestSupport.config(dir, "n1", List.of(taken.getLocalPort()), TestSupport.freePort());
            int code = CompletableFuture.supplyAsync(() -> run("--config", config.sources().get(0).toString()))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(1, code);
            assertTrue(err().startsWith("vigild: cannot start the cluster member on 127.0.0.1:" + taken.getLocalPort()),
                    err());
            assertFalse(Files.exists(config.stateDir().resolve("vigil.pid")));
        }
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** After a failed assertion the daemon may still run: stop it so the next test starts clean. */
    private static void stopIfRunning(CompletableFuture<Integer> exit, int adminPort, Path tokenFile) throws Exception {
        if (exit.isDone()) {
            return;
        }
        String token = Files.readString(tokenFile).trim();
        TestSupport.http("POST", adminPort, "/v1/shutdown", token, "{\"mode\":\"remove\"}");
        exit.get(30, TimeUnit.SECONDS);
    }
}
