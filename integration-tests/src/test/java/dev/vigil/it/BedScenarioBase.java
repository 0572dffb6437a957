package dev.vigil.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.it.bed.Bed;
import dev.vigil.it.bed.BedConfig;
import dev.vigil.it.bed.ScenarioRun;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every scenario class of the namespace bed shares: one {@link Bed} per class, made at the
 * first scenario that runs (a class whose scenarios are all disabled costs nothing) and removed
 * after the last; the scenario's start ({@link #begin}) and the assertions every scenario ends
 * with ({@link #finish}); each scenario's logs kept in target/bed-logs/NAME.
 */
abstract class BedScenarioBase {
    static final String N1 = "n1";
    static final String N2 = "n2";
    static final String MAIN_LOG = "vigil.log";
    static final Duration BACK = Duration.ofSeconds(60);

    private static Bed bed;
    ScenarioRun run;
    String name;
    /** Where n1's main log ended when the scenario's client started: the scenario's lines come after it. */
    long mark;

    @AfterAll
    static void removeBed() throws Exception {
        if (bed != null) {
            bed.close();
            bed = null;
        }
    }

    @BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void keepLogs() throws Exception {
        if (run != null) {
            run.close();
            run = null;
        }
        if (bed != null) {
            bed.saveLogs(Path.of("target", "bed-logs", name));
        }
    }

    /** The bed, made on first use (skips the test, one line, where it cannot run). */
    static Bed bed() throws Exception {
        if (bed == null) {
            Bed.require();
            bed = Bed.create(Distribution.fromSystemProperty());
        }
        return bed;
    }

    /** The cluster of {@code config} with the hierarchy in service on n1. */
    void startCluster(BedConfig config) throws Exception {
        bed().startCluster(config);
    }

    /** The cluster of {@code config}, the client writing and the watcher sampling. */
    ScenarioRun begin(BedConfig config) throws Exception {
        startCluster(config);
        mark = bed.logEnd(N1, MAIN_LOG);
        run = ScenarioRun.begin(bed, name);
        return run;
    }

    /**
     * The assertions every scenario ends with: the service is back with an outage within
     * {@code outageBound}, nothing acknowledged was lost, never two active.
     */
    ScenarioRun.Outcome finish(Duration outageBound) throws Exception {
        ScenarioRun.Outcome o = run.finish();
        System.out.printf("%s: outage %d ms (largest gap between acknowledged commits from the fault on), ended %d ms "
                + "after the fault, %d lost, %d watcher samples%n", name, o.outage().window().toMillis(),
                o.resume().toMillis(), o.lostCommits(), o.samples());
        assertTrue(o.doubleActive().isEmpty(), "double-active samples: " + o.doubleActive());
        assertTrue(o.samples() > 20, "the watcher sampled only " + o.samples() + " times");
        assertEquals(0, o.lostCommits(), "acknowledged commits missing from the table");
        assertTrue(o.outage().window().compareTo(outageBound) <= 0, "outage " + o.outage().window().toMillis()
                + " ms, more than " + outageBound.toMillis() + " ms");
        return o;
    }
}
