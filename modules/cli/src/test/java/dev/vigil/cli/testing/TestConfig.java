package dev.vigil.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A valid vigil.conf for server n1 of a 3-server cluster, written into a test's temp directory:
 * state-dir and logs under that directory, the admin API on {@code adminPort}.
 */
public final class TestConfig {
    public final Path dir;
    public final Path file;
    public final Path stateDir;
    public final Path logsDir;
    public final Path tokenFile;
    public final int adminPort;

    private TestConfig(Path dir, int adminPort) {
        this.dir = dir;
        this.file = dir.resolve("vigil.conf");
        this.stateDir = dir.resolve("state");
        this.logsDir = dir.resolve("logs");
        this.tokenFile = stateDir.resolve("admin.token");
        this.adminPort = adminPort;
    }

    public static TestConfig write(Path dir, int adminPort) {
        TestConfig c = new TestConfig(dir, adminPort);
        String text = """
                vigil {
                  server = n1
                  state-dir = "%s"
                  cluster {
                    servers = [
                      { name = n1, host = "127.0.0.1", port = 17401 }
                      { name = n2, host = "127.0.0.1", port = 17402 }
                      { name = n3, host = "127.0.0.1", port = 17403 }
                    ]
                  }
                  admin { port = %d }
                  logs { dir = "%s" }
                  hierarchies = [ {
                    tag = "app-batch", priorities { n2 = 1, n1 = 2, n3 = 3 }
                    resources = [ { tag = "app-batch", type = generic, restore-script = "/bin/true", remove-script = "/bin/true",
                                    quick-check-script = "/bin/true" } ]
                  } ]
                }
                """.formatted(c.stateDir, adminPort, c.logsDir);
        try {
            Files.writeString(c.file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    /** A port nothing listens on right now, for "daemon not running". */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
