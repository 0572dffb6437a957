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

    /**
     * How long after the fault the watcher samples at least, however soon the service is back (a
     * postmaster repaired in place resumes writes in about 0.2 s): a second active copy may show
     * up after the first one took writes again, and a run must give the watcher time to see it.
     */
    static final Duration MIN_WATCH = Duration.ofSeconds(4);

    /** A gap between commits longer than this is not steady writing (the client commits every 10 ms). */
    static final Duration STEADY_GAP = Duration.ofMillis(250);

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
     * Waits until writes are steady again: commits for the last {@code window} without a gap over
     * {@link #STEADY_GAP}, the last one fresh. A commit soon after the fault does not mean the
     * outage is over: a backend of a killed postmaster, for one, keeps committing until local
     * recovery ends it, and only then does the service go away.
     */
    public void awaitSteadyWrites(Duration window, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            List<ClientRun.Ack> acks = client.acks();
            Instant now = Instant.now();
            Instant steadySince = null;
            for (int i = acks.size() - 1; i > 0 && steadySince == null; i--) {
                if (Duration.between(acks.get(i - 1).at(), acks.get(i).at()).compareTo(STEADY_GAP) > 0) {
                    steadySince = acks.get(i).at();
                }
            }
            boolean fresh = !acks.isEmpty() && Duration.between(acks.get(acks.size() - 1).at(), now).compareTo(STEADY_GAP) < 0;
            if (fresh && (steadySince == null || Duration.between(steadySince, now).compareTo(window) >= 0)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("writes did not become steady within " + bound.toSeconds() + " s; the client says:\n"
                + client.tail());
    }

    /**
     * Ends the run once writes are steady again (1 s without a gap) and at least {@link #MIN_WATCH}
     * after the fault: the outage around the fault (the service must be back), the lost commits
     * (checked through the virtual IP) and what the watcher saw.
     */
    public Outcome finish() throws Exception {
        awaitSteadyWrites(Duration.ofSeconds(1), Duration.ofSeconds(120));
        long left = fault == null ? 0 : MIN_WATCH.toMillis() - Duration.between(fault, Instant.now()).toMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
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
