package dev.vigil.daemon.cluster.heartbeat;

import java.util.function.LongSupplier;

/**
 * The phi-accrual failure detector of Pekko's {@code org.apache.pekko.remote.PhiAccrualFailureDetector}
 * (Hayashibara et al.), with the same arithmetic and the same answers, for one peer on one comm
 * path, confined to the heartbeat transport's thread. Pekko's keeps its history as an immutable
 * Scala vector behind an atomic reference and builds a new one on every heartbeat; the transport
 * feeds every peer on every comm path several times a second, so this one keeps the intervals in a
 * ring of primitive longs with running sums, and allocates nothing after construction.
 * <p>
 * As Pekko's: the history starts with two intervals around the expected heartbeat interval (mean
 * {@code firstHeartbeatEstimate}, deviation a quarter of it), so that a peer heard once goes
 * unavailable like any other; the interval that ends a pause long enough to be unavailable is not
 * recorded (it would skew the statistics); phi is computed with the logistic approximation of the
 * normal distribution, the mean extended by the acceptable pause and the deviation at least
 * {@code minStdDeviation}; a peer never heard is available and not monitored.
 */
final class PhiDetector {
    private final double threshold;
    private final long acceptablePauseMillis;
    private final double minStdDeviationMillis;
    private final LongSupplier clockMillis;
    private final long[] intervals;
    /** The first heartbeat's history: two intervals around the estimate. */
    private final long firstLow;
    private final long firstHigh;
    private int size;
    /** Where the oldest interval is, once the ring is full. */
    private int oldest;
    private long sum;
    private long squaredSum;
    private boolean heard;
    private long latest;

    /**
     * @param clockMillis a monotonic clock in milliseconds (Pekko's default clock: {@code System.nanoTime() / 1e6})
     */
    PhiDetector(double threshold, int maxSampleSize, long minStdDeviationMillis, long acceptablePauseMillis,
                long firstHeartbeatEstimateMillis, LongSupplier clockMillis) {
        if (threshold <= 0 || maxSampleSize < 1 || minStdDeviationMillis <= 0 || acceptablePauseMillis < 0
                || firstHeartbeatEstimateMillis <= 0) {
            throw new IllegalArgumentException("phi detector: threshold " + threshold + ", max sample size "
                    + maxSampleSize + ", min deviation " + minStdDeviationMillis + " ms, acceptable pause "
                    + acceptablePauseMillis + " ms, first estimate " + firstHeartbeatEstimateMillis
                    + " ms: threshold, deviation and estimate must be positive, the pause not negative, "
                    + "the sample size at least 1");
        }
        this.threshold = threshold;
        this.acceptablePauseMillis = acceptablePauseMillis;
        this.minStdDeviationMillis = minStdDeviationMillis;
        this.clockMillis = clockMillis;
        this.intervals = new long[maxSampleSize];
        long deviation = firstHeartbeatEstimateMillis / 4;
        this.firstLow = firstHeartbeatEstimateMillis - deviation;
        this.firstHigh = firstHeartbeatEstimateMillis + deviation;
    }

    /** Pekko's default clock: milliseconds of {@link System#nanoTime()}. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** A heartbeat from the peer, now. */
    void heartbeat() {
        long now = clockMillis.getAsLong();
        if (!heard) {
            startHistory();
        } else if (phi(now) < threshold) {
            record(now - latest);
        }
        heard = true;
        latest = now;
    }

    /** Heard at least once. */
    boolean isMonitoring() {
        return heard;
    }

    /** Phi is under the threshold now (a peer never heard is available). */
    boolean isAvailable() {
        return phi(clockMillis.getAsLong()) < threshold;
    }

    /** Phi now. */
    double phi() {
        return phi(clockMillis.getAsLong());
    }

    private double phi(long now) {
        if (!heard) {
            return 0.0;
        }
        long timeDiff = now - latest;
        double mean = (double) sum / size;
        double variance = (double) squaredSum / size - mean * mean;
        double deviation = Math.max(Math.sqrt(variance), minStdDeviationMillis);
        return phi(timeDiff, mean + acceptablePauseMillis, deviation);
    }

    /** Pekko's formula, to the letter. */
    static double phi(long timeDiff, double mean, double stdDeviation) {
        double y = (timeDiff - mean) / stdDeviation;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        if (timeDiff > mean) {
            return -Math.log10(e / (1.0 + e));
        }
        return -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    private void startHistory() {
        size = 0;
        oldest = 0;
        sum = 0;
        squaredSum = 0;
        record(firstLow);
        record(firstHigh);
    }

    private void record(long interval) {
        if (size < intervals.length) {
            intervals[(oldest + size) % intervals.length] = interval;
            size++;
        } else {
            long dropped = intervals[oldest];
            sum -= dropped;
            squaredSum -= dropped * dropped;
            intervals[oldest] = interval;
            oldest = (oldest + 1) % intervals.length;
        }
        sum += interval;
        squaredSum += interval * interval;
    }
}
