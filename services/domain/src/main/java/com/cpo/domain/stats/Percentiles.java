package com.cpo.domain.stats;

import java.util.Arrays;

/**
 * Exact percentiles of values that are all at hand: linear interpolation between the closest ranks, the definition of
 * PostgreSQL's {@code percentile_cont} and of Excel's {@code PERCENTILE.INC}. The same values always give the same
 * answer. (A stream that cannot hold every value uses a sketch instead: {@link DistributionSummary#quantile}, approximate.)
 */
public final class Percentiles {

    /** The definition, for pages and workbooks. */
    public static final String DEFINITION = "exact: linear interpolation between the closest ranks (percentile_cont, PERCENTILE.INC)";

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** Of these values (copied and sorted; NaN is left out). */
    public static Percentiles of(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        Arrays.sort(v);
        return new Percentiles(v);
    }

    /** The p-th quantile, p in 0..1; NaN without values. */
    public double at(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    public int count() {
        return sorted.length;
    }
}
