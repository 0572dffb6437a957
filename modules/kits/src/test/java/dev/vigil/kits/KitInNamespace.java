package dev.vigil.kits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.core.config.spec.FilesystemSpec;
import dev.vigil.core.config.spec.IpSpec;
import dev.vigil.core.config.spec.ResourceSpec;
import dev.vigil.kits.process.CommandRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A kit in a JVM of its own, started behind a namespace prefix ({@code ip netns exec NS},
 * {@code nsenter -t PID -m}) with no command prefix of its own: a daemon inside a server's
 * namespaces, as on a real server, where the kits read the kernel's state in the JVM. The test
 * names one action a line; each answer is the action's result and the commands the kit started for
 * it. The JVM is ended by closing it.
 */
public final class KitInNamespace implements AutoCloseable {
    private static final String ANSWER = "ANSWER\t";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** One action's result (its {@code toString}) and the commands the kit ran for it. */
    public record Answer(String result, List<String> commands, Duration took) {
    }

    private final Process jvm;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private KitInNamespace(List<String> prefix, List<String> kitArgs) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                KitInNamespace.class.getName()));
        argv.addAll(kitArgs);
        jvm = new ProcessBuilder(argv).redirectErrorStream(true).start();
        in = new OutputStreamWriter(jvm.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading the kit's JVM failed: " + e + ")");
            }
        }, "kit-in-namespace-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** An IP kit for {@code address/prefix} on {@code iface}, without ping list, duplicate check or announcement. */
    public static KitInNamespace ip(List<String> prefix, String address, int prefixLength, String iface) throws IOException {
        return new KitInNamespace(prefix, List.of("ip", "3000", address, Integer.toString(prefixLength), iface));
    }

    /** A filesystem kit (ext4, rw) whose quickCheck has {@code quickCheck} to finish. */
    public static KitInNamespace filesystem(List<String> prefix, String device, Path mountPoint, Duration quickCheck)
            throws IOException {
        return new KitInNamespace(prefix, List.of("fs", Long.toString(quickCheck.toMillis()), device, mountPoint.toString()));
    }

    /** quickCheck, probe, restore, remove, recover, or threads (how many write-probe threads the kit has). */
    public Answer call(String action) throws IOException, InterruptedException {
        in.write(action + "\n");
        in.flush();
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(ANSWER)) {
                String[] f = line.substring(ANSWER.length()).split("\t", -1);
                List<String> commands = f[1].isEmpty() ? List.of() : List.of(f[1].split(" \\| "));
                return new Answer(f[0], commands, Duration.ofMillis(Long.parseLong(f[2])));
            }
            if (line != null) {
                output.add(line);
            } else if (!jvm.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError(action + ": no answer from the kit's JVM; its output: " + String.join("\n", output));
    }

    /** The answer is {@code expected} and the kit started no process to give it. */
    public static void assertAnsweredWithoutProcess(String expected, Answer answer) {
        assertEquals(expected, answer.result());
        assertEquals(List.of(), answer.commands(), "commands the kit started for " + expected);
    }

    /** What the kit's JVM has written besides its answers so far: its log. */
    public List<String> log() {
        lines.drainTo(output);
        return List.copyOf(output);
    }

    /** quickCheck until it is healthy, at most for {@code within}: the last check's answer. */
    public Answer awaitHealthy(Duration within) throws IOException, InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        Answer check = call("quickCheck");
        while (!check.result().equals("healthy") && System.nanoTime() < end) {
            Thread.sleep(100);
            check = call("quickCheck");
        }
        return check;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.close();
        } catch (IOException e) {
            // it has ended already
        }
        if (!jvm.waitFor(5, TimeUnit.SECONDS)) {
            TestHost.kill(jvm.pid());
            jvm.waitFor();
        }
    }

    /** The kit's side: args are the kit type, the quickCheck timeout in ms and the spec's fields. */
    public static void main(String[] args) throws IOException {
        Duration quickCheck = Duration.ofMillis(Long.parseLong(args[1]));
        ResourceSpec spec = args[0].equals("ip")
                ? new IpSpec(args[2], Integer.parseInt(args[3]), args[4], List.of(), 1, Duration.ofSeconds(1), false,
                        Duration.ofMillis(200), 0)
                : new FilesystemSpec(args[2], args[3], "ext4", "rw", true, 2, Duration.ofMillis(500));
        RecoveryKit kit = TestResources.kit(args[0] + "-test", spec, TestResources.timeouts(Duration.ofSeconds(30),
                Duration.ofSeconds(30), quickCheck, Duration.ofSeconds(30)), List.of());
        Logger runner = (Logger) LoggerFactory.getLogger(CommandRunner.class);
        ListAppender<ILoggingEvent> commands = new ListAppender<>();
        commands.start();
        runner.setLevel(Level.DEBUG);
        runner.setAdditive(false);
        runner.addAppender(commands);
        PrintStream out = System.out;
        BufferedReader actions = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String action = actions.readLine(); action != null; action = actions.readLine()) {
            commands.list.clear();
            long start = System.nanoTime();
            Object result = switch (action) {
                case "quickCheck" -> kit.quickCheck();
                case "probe" -> kit.probe();
                case "restore" -> kit.restore();
                case "remove" -> kit.remove();
                case "recover" -> kit.recover();
                case "threads" -> Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("vigil-fs-probe-")).count();
                default -> "unknown action " + action;
            };
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            List<String> ran = commands.list.stream().map(e -> e.getFormattedMessage().replaceAll("[\t\n|]", " ")).toList();
            out.println(ANSWER + String.valueOf(result).replaceAll("[\t\n]", " ") + "\t" + String.join(" | ", ran) + "\t" + millis);
            out.flush();
        }
        System.exit(0);
    }
}
