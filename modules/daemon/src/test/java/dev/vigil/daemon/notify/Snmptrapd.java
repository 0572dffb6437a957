package dev.vigil.daemon.notify;

import dev.vigil.daemon.TestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's real {@code snmptrapd} (net-snmp) on a free UDP port of 127.0.0.1, started by the test
 * and killed by its PID: it accepts every community ({@code disableAuthorization yes}), prints
 * each trap on one line with numeric OIDs, and this class parses what it printed into
 * {@link Received} traps. Tests skip with a reason when snmptrapd is not installed.
 */
public final class Snmptrapd implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/snmptrapd");
    private static final Pattern VARBIND = Pattern.compile("^\\.?([0-9.]+) = (?:[A-Za-z0-9 -]+: )?(.*)$");

    /** One trap as snmptrapd printed it: its trap OID (v1 traps converted as RFC 3584 says) and varbinds. */
    public record Received(int version, String oid, Map<String, String> varbinds) {
        public Optional<String> value(String oid) {
            return Optional.ofNullable(varbinds.get(oid));
        }
    }

    public final int port;
    private final Process process;
    private final Path dir;
    private final List<Received> traps = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private Snmptrapd(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
    }

    public static Snmptrapd start() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "snmptrapd is not installed (apt-get install snmptrapd)");
        try {
            Path dir = Files.createTempDirectory("vigil-snmptrapd");
            Path conf = dir.resolve("snmptrapd.conf");
            Files.writeString(conf, """
                    disableAuthorization yes
                    format1 TRAP1 %N|%q|%v\\n
                    format2 TRAP2 %v\\n
                    """);
            int port = freeUdpPort();
            ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-f", "-Lo", "-C", "-c", conf.toString(), "-On",
                    "-M", "/dev/null", "-m", "", "udp:127.0.0.1:" + port).redirectErrorStream(true);
            pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
            Snmptrapd d = new Snmptrapd(port, pb.start(), dir);
            d.readOutput();
            TestSupport.await("snmptrapd listening on UDP port " + port, Duration.ofSeconds(20),
                    () -> d.listening() || !d.process.isAlive());
            if (!d.process.isAlive()) {
                throw new IllegalStateException("snmptrapd did not start: " + d.output);
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its version line printed and its port bound (in /proc/net/udp): a trap sent now is received. */
    private boolean listening() {
        String local = String.format(" 0100007F:%04X ", port);
        try {
            return output.stream().anyMatch(l -> l.contains("NET-SNMP version"))
                    && Files.readAllLines(Path.of("/proc/net/udp")).stream().anyMatch(l -> l.contains(local));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void readOutput() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    parse(line).ifPresent(traps::add);
                }
            } catch (IOException e) {
                output.add("reading failed: " + e);
            }
        }, "snmptrapd-output");
        t.setDaemon(true);
        t.start();
    }

    static Optional<Received> parse(String line) {
        if (line.startsWith("TRAP2 ")) {
            Map<String, String> vars = varbinds(line.substring(6).split("\t"));
            String oid = vars.remove("1.3.6.1.6.3.1.1.4.1.0");
            vars.remove("1.3.6.1.2.1.1.3.0");
            return Optional.ofNullable(oid).map(o -> new Received(2, o.replaceFirst("^\\.", ""), vars));
        }
        if (line.startsWith("TRAP1 ")) {
            String[] parts = line.substring(6).split("\\|", 3);
            String specific = parts[1].replaceAll("[^0-9]", "");
            String oid = parts[0].replaceFirst("^\\.", "") + ".0." + specific;
            return Optional.of(new Received(1, oid, varbinds(parts[2].split("\t"))));
        }
        return Optional.empty();
    }

    private static Map<String, String> varbinds(String[] fields) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String f : fields) {
            Matcher m = VARBIND.matcher(f.trim());
            if (m.matches()) {
                String value = m.group(2);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                vars.put(m.group(1), value);
            }
        }
        return vars;
    }

    /** Every trap received so far. */
    public List<Received> traps() {
        return new ArrayList<>(traps);
    }

    /** Waits for a trap with {@code oid}; returns the first one. */
    public Received await(String oid, Duration timeout) {
        TestSupport.await("trap " + oid + " at snmptrapd (output so far: " + output + ")", timeout,
                () -> traps.stream().anyMatch(t -> t.oid().equals(oid)));
        return traps.stream().filter(t -> t.oid().equals(oid)).findFirst().orElseThrow();
    }

    /** The destination to configure: {@code 127.0.0.1:<port>}. */
    public String destination() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestSupport.deleteRecursively(dir);
    }
}
