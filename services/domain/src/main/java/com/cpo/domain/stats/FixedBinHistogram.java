package com.cpo.domain.stats;

import java.util.Arrays;

/**
 * Counts of values in fixed bins [lower + i·width, lower + (i+1)·width), plus values below the first bin
 * and at or above the last. Fixed bins make histograms from partitions, stations and windows add up.
 */
public final class FixedBinHistogram {

    private final double lowerEdge;
    private final double binWidth;
    private final long[] counts;
    private long underflow;
    private long overflow;

    public FixedBinHistogram(double lowerEdge, double binWidth, int bins) {
        if (!(binWidth > 0) || bins < 1) {
            throw new IllegalArgumentException("histogram needs a positive bin width and at least one bin");
        }
        this.lowerEdge = lowerEdge;
        this.binWidth = binWidth;
        this.counts = new long[bins];
    }

    /** Restores a histogram from its parts. */
    public static FixedBinHistogram of(double lowerEdge, double binWidth, long[] counts, long underflow, long overflow) {
        FixedBinHistogram h = new FixedBinHistogram(lowerEdge, binWidth, counts.length);
        System.arraycopy(counts, 0, h.counts, 0, counts.length);
        h.underflow = underflow;
        h.overflow = overflow;
        return h;
    }

    public void add(double x) {
        add(x, 1);
    }

    /** Adds {@code count} values equal to {@code x} (a database's count of each distinct value, say). */
    public void add(double x, long count) {
        if (x < lowerEdge) {
            underflow += count;
            return;
        }
        // 1.2 / 0.1 is 11.999999999999998 in binary: a value on an edge (as decimal data is) belongs to the
        // bin it opens, so positions within a billionth of a bin below an edge count as on it
        long bin = (long) Math.floor((x - lowerEdge) / binWidth + 1e-9);
        if (bin >= counts.length) {
            overflow += count;
        } else {
            counts[(int) bin] += count;
        }
    }

    public void merge(FixedBinHistogram other) {
        if (other.lowerEdge != lowerEdge || other.binWidth != binWidth || other.counts.length != counts.length) {
            throw new IllegalArgumentException("histograms with different bins cannot be merged");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        underflow += other.underflow;
        overflow += other.overflow;
    }

    public double lowerEdge() {
        return lowerEdge;
    }

    public double binWidth() {
        return binWidth;
    }

    public int bins() {
        return counts.length;
    }

    /** Lower edge of bin i. */
    public double binLowerEdge(int i) {
        return lowerEdge + i * binWidth;
    }

    public long[] counts() {
        return Arrays.copyOf(counts, counts.length);
    }

    public long underflow() {
        return underflow;
    }

    public long overflow() {
        return overflow;
    }

    public long total() {
        return Arrays.stream(counts).sum() + underflow + overflow;
    }
}
