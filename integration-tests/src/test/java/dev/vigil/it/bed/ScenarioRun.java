package dev.vigil.it.bed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One scenario on a started bed, as every scenario and the benchmark run it: the client writing and
 * the watcher sampling from {@link #begin}, one fault at a recorded instant, then the outcome —
 * the outage the client saw, the acknowledged commits the table lost, the double-active samples.
 */
public final class ScenarioRun implements AutoCloseable {
    /** A fault: anything that may throw. */
    @FunctionalInterface
    public interface Fault {
        void inject() throws Exception;
    }

    /** What the scenario did to the service, measured from the outside. */
    public record Outcome(ClientRun.Outage outage, Duration resume, long lostCommits, long samples, List<String> doubleActive) {
    }

    private final ClientRun client;
    private final Watcher watcher;
    private Instant fault;

    private ScenarioRun(ClientRun client, Watcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    /** Starts the client (rows named {@code run}) and the watcher; returns once 20 commits are acknowledged. */
    public static ScenarioRun begin(Bed bed, String run) throws Exception {
        ClientRun client = ClientRun.start(run);
        Watcher watcher = new Watcher(bed.servers(), bed.mountPoint());
        ScenarioRun s = new ScenarioRun(client, watcher);
        try {
            client.awaitCommitsAfter(Instant.EPOCH, 20, Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Injects the fault, remembering the instant just before it. */
    public Instant fault(Fault f) throws Exception {
        fault = Instant.now();
        f.inject();
        return fault;
    }

    public ClientRun client() {
        return client;
    }

    /** Waits until writes succeed again after the fault (5 commits after it). */
    public ClientRun.Outage awaitWritesBack(Duration bound) throws Exception {
        client.awaitCommitsAfter(fault, 5, bound);
        return client.outage(fault).orElseThrow();
    }

    /**
     * Ends the run: the outage around the fault (the service must be back), the lost commits
     * (checked through the virtual IP) and what the watcher saw.
     */
    public Outcome finish() throws Exception {
        ClientRun.Outage outage = client.outage(fault).orElseThrow(() -> new AssertionError(
                "no commit acknowledged after the fault"));
        watcher.close();
        long lost = client.lostCommits();
        return new Outcome(outage, outage.resumeAfter(fault), lost, watcher.samples(), watcher.violations());
    }

    @Override
    public void close() throws InterruptedException {
        watcher.close();
        client.close();
    }
}
