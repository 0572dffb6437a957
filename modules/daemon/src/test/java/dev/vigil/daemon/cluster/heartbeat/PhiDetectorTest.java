package dev.vigil.daemon.cluster.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.remote.FailureDetector;
import org.apache.pekko.remote.PhiAccrualFailureDetector;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

/**
 * Vigil's phi-accrual detector gives Pekko's answers: both are fed the same heartbeats on the same
 * manual clock, and asked phi, availability and monitoring at the same instants.
 */
class PhiDetectorTest {
    /** A manual clock both detectors read, in milliseconds. */
    private static final class ManualClock extends FailureDetector.Clock {
        long now = 1_000_000;

        @Override
        public long apply$mcJ$sp() {
            return now;
        }

        @Override
        public Object apply() {
            return now;
        }
    }

    private static FiniteDuration millis(long ms) {
        return FiniteDuration.apply(ms, TimeUnit.MILLISECONDS);
    }

    /**
     * A peer heartbeating every interval with jitter, now and then late, paused past the threshold
     * or silent for seconds; phi compared at every millisecond-ish step between heartbeats.
     */
    private static void samePhiAsPekko(long seed, double threshold, int maxSampleSize, long minDeviation, long pause,
                                       long interval) {
        ManualClock clock = new ManualClock();
        PhiAccrualFailureDetector pekko = new PhiAccrualFailureDetector(threshold, maxSampleSize, millis(minDeviation),
                millis(pause), millis(interval), clock);
        PhiDetector vigil = new PhiDetector(threshold, maxSampleSize, minDeviation, pause, interval, () -> clock.now);
        Random random = new Random(seed);
        assertEquals(pekko.isMonitoring(), vigil.isMonitoring());
        assertEquals(pekko.phi(), vigil.phi(), 0.0);
        int unavailable = 0;
        for (int beat = 0; beat < 3000; beat++) {
            pekko.heartbeat();
            vigil.heartbeat();
            long gap = switch (random.nextInt(40)) {
                case 0 -> pause + interval * (1 + random.nextInt(20)); // a long silence: unavailable, not recorded
                case 1, 2 -> interval * 2 + random.nextInt((int) pause + 1); // late
                default -> Math.max(1, interval + random.nextInt((int) interval / 2 + 1) - interval / 4); // jitter
            };
            for (long step = 0; step < gap; step += 1 + random.nextInt((int) interval / 3 + 1)) {
                clock.now++;
                String at = "seed " + seed + ", heartbeat " + beat + ", " + step + " ms after it";
                assertEquals(pekko.phi(), vigil.phi(), Math.abs(pekko.phi()) * 1e-12, at);
                assertEquals(pekko.isAvailable(), vigil.isAvailable(), at);
                assertEquals(pekko.isMonitoring(), vigil.isMonitoring(), at);
                if (!vigil.isAvailable()) {
                    unavailable++;
                }
                clock.now += random.nextInt((int) interval / 3 + 1);
            }
            clock.now += Math.max(0, gap - (clock.now % Math.max(1, gap)));
        }
        assertTrue(unavailable > 100, "the sequence must reach unavailability often, not only stay available: "
                + unavailable);
    }

    @Test
    void givesPekkosAnswersAtTheDefaultTimings() {
        for (long seed = 1; seed <= 5; seed++) {
            samePhiAsPekko(seed, 8.0, 1000, 100, 1200, 200);
        }
    }

    @Test
    void givesPekkosAnswersWhenTheHistoryRingWrapsAndAtOtherSettings() {
        samePhiAsPekko(11, 8.0, 7, 100, 600, 100);
        samePhiAsPekko(12, 12.0, 1, 50, 0, 50);
        samePhiAsPekko(13, 3.0, 100, 10, 3000, 1000);
    }

    @Test
    void aPeerNeverHeardIsAvailableAndNotMonitored() {
        long[] now = {0};
        PhiDetector d = new PhiDetector(8.0, 1000, 100, 1200, 200, () -> now[0]);
        now[0] = 100_000;
        assertFalse(d.isMonitoring());
        assertTrue(d.isAvailable());
        d.heartbeat();
        assertTrue(d.isMonitoring());
        now[0] += 10_000;
        assertFalse(d.isAvailable());
    }

    @Test
    void settingsOutOfRangeAreRefusedWithWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PhiDetector(0, 1000, 100, 1200, 200, () -> 0));
        assertTrue(e.getMessage().contains("threshold 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PhiDetector(8, 0, 100, 1200, 200, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new PhiDetector(8, 10, 0, 1200, 200, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new PhiDetector(8, 10, 100, -1, 200, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new PhiDetector(8, 10, 100, 1200, 0, () -> 0));
    }
}
