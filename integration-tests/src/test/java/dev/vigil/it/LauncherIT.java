package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands' launcher (bin/vigil-command) and its class-data sharing archive: recorded once,
 * then used; whatever happens to it (corrupted, directory not writable, switched off), the
 * command's output and exit code stay exactly the same, and no JVM message reaches stdout.
 */
class LauncherIT {
    private static final String NOT_RUNNING = "Vigil does not appear to be running.\n";

    @TempDir
    Path dir;

    private final Path home = Path.of(System.getProperty("vigil.dist", "../deploy/target/vigil-0.1.0-SNAPSHOT"));
    private Path conf;

    @BeforeEach
    void configWithNoDaemon() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = s.getLocalPort();
        }
        conf = dir.resolve("vigil.conf");
        Files.writeString(conf, "vigil {\n  server = n1\n  state-dir = \"" + dir.resolve("state") + "\"\n"
                + "  cluster { servers = [ { name = n1, host = \"127.0.0.1\", port = 1 } ] }\n"
                + "  admin { port = " + port + " }\n  logs { dir = \"" + dir.resolve("logs") + "\" }\n}\n");
    }

    /** {exit code, stdout, stderr} of {@code lcdstatus -q} against no daemon. */
    private String[] lcdstatus(Map<String, String> env) throws Exception {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(List.of(home.resolve("bin/lcdstatus").toString(), "-q", "-c", conf.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8)};
    }

    private List<Path> archives(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void theArchiveIsRecordedOnceThenUsedAndTheOutputNeverChanges() throws Exception {
        Path cache = dir.resolve("cache");
        String[] expected = {"9", "", NOT_RUNNING};
        assertEquals(List.of(expected), List.of(lcdstatus(Map.of("VIGIL_CDS_DIR", cache.toString()))));
        List<Path> recorded = archives(cache);
        assertEquals(1, recorded.size(), recorded::toString);
        long modified = Files.getLastModifiedTime(recorded.get(0)).toMillis();

        assertEquals(List.of(expected), List.of(lcdstatus(Map.of("VIGIL_CDS_DIR", cache.toString()))));
        assertEquals(recorded, archives(cache), "the second run uses the archive, it records none");
        assertEquals(modified, Files.getLastModifiedTime(recorded.get(0)).toMillis());

        // A damaged archive: the JVM refuses it silently (its CDS messages are off, others go to stderr).
        Files.delete(recorded.get(0));
        Files.writeString(recorded.get(0), "not an archive");
        assertEquals(List.of(expected), List.of(lcdstatus(Map.of("VIGIL_CDS_DIR", cache.toString()))));

        assertEquals(List.of(expected), List.of(lcdstatus(Map.of("VIGIL_CDS", "off"))));
    }

    @Test
    void anUnusableCacheDirectoryOnlyCostsSpeed() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        String[] expected = {"9", "", NOT_RUNNING};
        assertEquals(List.of(expected), List.of(lcdstatus(Map.of("VIGIL_CDS_DIR", file.resolve("cache").toString()))));
    }
}
