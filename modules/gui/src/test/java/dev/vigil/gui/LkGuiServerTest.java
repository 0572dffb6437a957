package dev.vigil.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.cli.CliContext;
import dev.vigil.cli.Main;
import dev.vigil.cli.ServiceManager;
import dev.vigil.daemon.TestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lkGUIserver start|status|stop} with the real GUI server process ({@code bin/vigil-gui}
 * running {@link GuiMain}): it starts in the background, serves the page, the manual and the API,
 * says where it runs, refuses a taken port clearly, and stops.
 */
class LkGuiServerTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run lkGuiServer(Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of("VIGIL_HOME", home.toString()),
                ServiceManager.system(), ZoneId.of("UTC"));
        String[] all = new String[args.length + 1];
        all[0] = "lkGUIserver";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(all, ctx);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void startServesTheGuiStatusSaysWhereAndStopEndsIt() throws Exception {
        Path home = home();
        int port = TestSupport.freePort();
        Path conf = config(port);
        Run start = lkGuiServer(home, "start", "-c", conf.toString());
        try {
            assertEquals(0, start.exit(), start.err());
            Run running = lkGuiServer(home, "status", "-c", conf.toString());
            assertEquals(0, running.exit(), () -> running.out() + output());
            assertTrue(start.out().matches("GUI server started \\(pid \\d+\\) on http://127.0.0.1:" + port + "/\n"), start.out());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>Vigil</title>"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/help/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/cluster")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            Run status = lkGuiServer(home, "status", "-c", conf.toString());
            assertEquals(0, status.exit());
            assertTrue(status.out().matches("GUI server running \\(pid \\d+\\) on http://127.0.0.1:" + port + "/\n"), status.out());
            Run again = lkGuiServer(home, "start", "-c", conf.toString());
            assertEquals(0, again.exit());
            assertTrue(again.out().startsWith("GUI server already running"), again.out());
        } catch (AssertionError | RuntimeException e) {
            lkGuiServer(home, "stop", "-c", conf.toString());
            killLeftover();
            throw e;
        }
        Run stop = lkGuiServer(home, "stop", "-c", conf.toString());
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("GUI server stopped\n", stop.out());
        Run status = lkGuiServer(home, "status", "-c", conf.toString());
        assertEquals(1, status.exit());
        assertEquals("GUI server is not running\n", status.out());
        assertTrue(Files.readString(dir.resolve("logs/gui.log")).contains("GUI server started on 127.0.0.1:" + port));
    }

    @Test
    void aTakenPortIsReportedAndNothingKeepsRunning() throws Exception {
        Path home = home();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path conf = config(taken.getLocalPort());
            Run start = lkGuiServer(home, "start", "-c", conf.toString());
            assertEquals(1, start.exit(), start.out());
            assertTrue(start.err().startsWith("lkGUIserver: GUI server did not start (exit code 1): vigil-gui: cannot listen on "
                    + "127.0.0.1:" + taken.getLocalPort()), start.err());
            assertTrue(start.err().strip().endsWith("; see " + dir.resolve("n1/state/gui.out")), start.err());
            assertEquals(1, lkGuiServer(home, "status", "-c", conf.toString()).exit());
        } finally {
            killLeftover();
        }
    }

    /** Ends the GUI server this test started if it still runs (a failed test must not leave it behind). */
    private void killLeftover() {
        dev.vigil.cli.DaemonPid.readFile(dir.resolve("n1/state/gui.pid")).ifPresent(pid ->
                ProcessHandle.of(pid).filter(h -> h.info().commandLine().orElse("").contains("GuiMain"))
                        .ifPresent(ProcessHandle::destroyForcibly));
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("n1/state/gui.out"));
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private Path home() {
        Path home = dir.resolve("home");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The class path through CLASSPATH, not -cp: lkGUIserver recognises the process by "dev.vigil." in its
        // command line, which Linux shows only up to 4096 characters (the installed script's -cp is short).
        TestSupport.script(home.resolve("bin/vigil-gui"), "CLASSPATH='" + System.getProperty("java.class.path")
                + "'\nexport CLASSPATH\nexec '" + java + "' -XX:TieredStopAtLevel=1 dev.vigil.gui.GuiMain \"$@\"\n");
        return home;
    }

    private Path config(int port) {
        TestSupport.configWith(dir, "n1", List.of(TestSupport.freePort()), TestSupport.freePort(),
                "  gui { port = " + port + ", bind = \"127.0.0.1\", users-file = \"" + dir.resolve("users") + "\" }\n");
        return dir.resolve("n1/vigil.conf");
    }
}
