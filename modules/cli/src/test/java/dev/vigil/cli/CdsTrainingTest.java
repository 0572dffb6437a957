package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The class-data sharing workload runs every step to its expected end: an archive recorded from
 * a failing path would miss the classes the commands really load.
 */
class CdsTrainingTest {

    @Test
    void everyTrainingStepEndsAsExpected() throws Exception {
        assertEquals(0, CdsTraining.run());
    }
}
