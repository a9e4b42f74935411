package com.cpo.domain.stats;

/**
 * Count, mean, variance, min and max of a stream of values: mergeable across partitions and windows and
 * numerically sound. Values are accumulated relative to a shift (the first value seen), so data far from
 * zero with small spread — coupling loss offsets, or values near 1e7 differing in the last digits —
 * keeps its precision; updates follow Welford, merges follow Chan et al. Never Σx² − (Σx)²/n.
 *
 * <p>Not thread-safe.
 */
public final class MomentAccumulator {

    private long n;
    private double shift;
    private double meanShifted;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public MomentAccumulator() {
    }

    /** Restores an accumulator from its parts (see the getters). */
    public static MomentAccumulator of(long n, double shift, double meanShifted, double m2, double min, double max) {
        MomentAccumulator a = new MomentAccumulator();
        a.n = n;
        a.shift = shift;
        a.meanShifted = meanShifted;
        a.m2 = m2;
        a.min = min;
        a.max = max;
        return a;
    }

    /** Adds one value; NaN and infinities are refused. */
    public void add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("not a finite value: " + x);
        }
        if (n == 0) {
            shift = x;
        }
        double y = x - shift;
        n++;
        double delta = y - meanShifted;
        meanShifted += delta / n;
        m2 += delta * (y - meanShifted);
        min = Math.min(min, x);
        max = Math.max(max, x);
    }

    /** Adds every value of {@code other} to this one, as if they had been added here. */
    public void merge(MomentAccumulator other) {
        if (other.n == 0) {
            return;
        }
        if (n == 0) {
            n = other.n;
            shift = other.shift;
            meanShifted = other.meanShifted;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            return;
        }
        // the other's mean in this accumulator's frame; shifts of similar values subtract exactly
        double otherMean = (other.shift - shift) + other.meanShifted;
        long total = n + other.n;
        double delta = otherMean - meanShifted;
        meanShifted += delta * other.n / total;
        m2 += other.m2 + delta * delta * ((double) n * other.n / total);
        n = total;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return n;
    }

    /** Arithmetic mean; NaN when empty. */
    public double mean() {
        return n == 0 ? Double.NaN : shift + meanShifted;
    }

    /** Sample variance (divisor n − 1); NaN for fewer than two values. */
    public double variance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** Sample standard deviation (divisor n − 1); NaN for fewer than two values. */
    public double standardDeviation() {
        return Math.sqrt(variance());
    }

    /** Smallest value; NaN when empty. */
    public double min() {
        return n == 0 ? Double.NaN : min;
    }

    /** Largest value; NaN when empty. */
    public double max() {
        return n == 0 ? Double.NaN : max;
    }

    public double shift() {
        return shift;
    }

    public double meanShifted() {
        return meanShifted;
    }

    /** Sum of squared deviations from the mean. */
    public double sumSquaredDeviations() {
        return m2;
    }

    public MomentAccumulator copy() {
        return of(n, shift, meanShifted, m2, min, max);
    }
}
