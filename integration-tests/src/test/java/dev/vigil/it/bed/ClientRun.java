package dev.vigil.it.bed;

import dev.vigil.kits.TestHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link BedClient} in the client namespace, seen from the test: the acknowledged
 * commits with their times, the outage around a fault, and the acknowledged commits the table lost.
 */
public final class ClientRun implements AutoCloseable {
    public static final String HOST = "c1";

    /** One acknowledged commit. */
    public record Ack(long id, Instant at) {
    }

    /** An outage: the acknowledged commits on either side of the largest gap. */
    public record Outage(Ack before, Ack after) {
        public Duration window() {
            return Duration.between(before.at(), after.at());
        }

        /** From the fault to the commit that ended the outage: how long writers waited for the service. */
        public Duration resumeAfter(Instant fault) {
            return Duration.between(fault, after.at());
        }
    }

    private final String run;
    private final Path file;
    private final Process process;

    private ClientRun(String run, Path file, Process process) {
        this.run = run;
        this.file = file;
        this.process = process;
    }

    /** Starts the writer; {@code run} names its rows (unique per scenario: the table lives on the shared disk). */
    public static ClientRun start(String run) throws IOException {
        Path file = Bed.ROOT.resolve("client-" + run + ".acks");
        Files.deleteIfExists(file);
        Process p = java(run, "write", file).redirectErrorStream(true)
                .redirectOutput(Bed.ROOT.resolve("client-" + run + ".out").toFile()).start();
        return new ClientRun(run, file, p);
    }

    private static ProcessBuilder java(String run, String mode, Path file) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder("ip", "netns", "exec", BedNetwork.netns(HOST), javaBin, "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BedClient.class.getName(), mode, run, file.toString());
    }

    /** Every acknowledged commit so far, in order. */
    public List<Ack> acks() throws IOException {
        List<Ack> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length == 2 && !line.startsWith("#")) {
                out.add(new Ack(Long.parseLong(f[0]), Instant.EPOCH.plus(Long.parseLong(f[1]), ChronoUnit.MICROS)));
            }
        }
        return out;
    }

    /** Waits until {@code count} commits are acknowledged after {@code since}; the first of them. */
    public Ack awaitCommitsAfter(Instant since, int count, Duration bound) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            List<Ack> after = acks().stream().filter(a -> a.at().isAfter(since)).toList();
            if (after.size() >= count) {
                return after.get(0);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the client exited: " + Files.readString(Bed.ROOT.resolve("client-" + run + ".out")));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " commits acknowledged within " + bound.toSeconds() + " s after "
                + since + "; the client says:\n" + tail());
    }

    /**
     * The outage around {@code fault}: the largest gap between two acknowledged commits from the last
     * one before the fault on (empty: no commit after the fault yet). Not simply the first commit
     * after the fault: a backend of a killed postmaster, or a server about to lose its address, may
     * still acknowledge a few commits before the service really goes away.
     */
    public Optional<Outage> outage(Instant fault) throws IOException {
        List<Ack> acks = acks();
        int first = 0;
        while (first + 1 < acks.size() && !acks.get(first + 1).at().isAfter(fault)) {
            first++;
        }
        Outage worst = null;
        for (int i = first + 1; i < acks.size(); i++) {
            Outage o = new Outage(acks.get(i - 1), acks.get(i));
            if (worst == null || o.window().compareTo(worst.window()) > 0) {
                worst = o;
            }
        }
        return Optional.ofNullable(worst);
    }

    /** The largest gap between two acknowledged commits of the whole run. */
    public Duration largestGap() throws IOException {
        List<Ack> acks = acks();
        Duration max = Duration.ZERO;
        for (int i = 1; i < acks.size(); i++) {
            Duration d = Duration.between(acks.get(i - 1).at(), acks.get(i).at());
            if (d.compareTo(max) > 0) {
                max = d;
            }
        }
        return max;
    }

    /** The client's own record of failures (lines starting with #) and its last lines: for failure messages. */
    public String tail() throws IOException {
        if (!Files.exists(file)) {
            return "(nothing acknowledged)";
        }
        List<String> lines = Files.readAllLines(file);
        List<String> notes = lines.stream().filter(l -> l.startsWith("#")).limit(10).toList();
        return String.join("\n", notes) + "\n... " + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Ends the writer (closes its standard input) and waits for it. */
    public void stop() throws InterruptedException, IOException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * The acknowledged ids the table does not hold (asked through the virtual IP, so the service must
     * be in service); stops the writer first.
     */
    public long lostCommits() throws IOException, InterruptedException {
        stop();
        Process p = java(run, "check", file).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("could not check the table: " + out);
        }
        String[] f = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        if (f.length < 4 || !f[0].equals("acknowledged")) {
            throw new AssertionError("unexpected answer of the check: " + out);
        }
        if (Long.parseLong(f[1]) == 0) {
            throw new AssertionError("the client acknowledged no commit at all: " + tail());
        }
        return Long.parseLong(f[3]);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            TestHost.kill(process.pid());
            process.waitFor();
        }
    }
}
