package com.cpo.domain.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Everything the platform reports about a distribution of values — n, mean, σ, min, max, quantiles and a
 * fixed-bin histogram — as one mergeable accumulator: moments from {@link MomentAccumulator}, quantiles
 * from an Apache DataSketches KLL sketch (normalized rank error about 1.3 % at k = 200), counts from a
 * {@link FixedBinHistogram}. Serializable to bytes for state stores and topics.
 */
public final class DistributionSummary {

    /** KLL accuracy parameter: k = 200 gives ~1.33 % rank error (single quantile, 99 % confidence). */
    public static final int KLL_K = 200;
    private static final byte FORMAT = 1;

    private final MomentAccumulator moments;
    private final KllDoublesSketch sketch;
    private final FixedBinHistogram histogram;

    private DistributionSummary(MomentAccumulator moments, KllDoublesSketch sketch, FixedBinHistogram histogram) {
        this.moments = moments;
        this.sketch = sketch;
        this.histogram = histogram;
    }

    /** An empty summary with the given histogram bins. */
    public static DistributionSummary empty(double histogramLowerEdge, double binWidth, int bins) {
        return new DistributionSummary(new MomentAccumulator(), KllDoublesSketch.newHeapInstance(KLL_K),
                new FixedBinHistogram(histogramLowerEdge, binWidth, bins));
    }

    /** Coupling-loss bins: 0 to 5 dB in 0.1 dB steps. */
    public static DistributionSummary forCouplingLossDb() {
        return empty(0.0, 0.1, 50);
    }

    public void add(double x) {
        moments.add(x);
        sketch.update(x);
        histogram.add(x);
    }

    public void merge(DistributionSummary other) {
        moments.merge(other.moments);
        sketch.merge(other.sketch);
        histogram.merge(other.histogram);
    }

    public long count() {
        return moments.count();
    }

    public double mean() {
        return moments.mean();
    }

    public double standardDeviation() {
        return moments.standardDeviation();
    }

    public double min() {
        return moments.min();
    }

    public double max() {
        return moments.max();
    }

    /** The value at normalized rank p (0..1), inclusive; NaN when empty. */
    public double quantile(double p) {
        return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(p, QuantileSearchCriteria.INCLUSIVE);
    }

    public FixedBinHistogram histogram() {
        return histogram;
    }

    public MomentAccumulator moments() {
        return moments;
    }

    /** Capability of this distribution against limits (either may be null). */
    public Capability capability(Double lowerLimit, Double upperLimit) {
        return Capability.of(mean(), standardDeviation(), lowerLimit, upperLimit);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(moments.count());
            out.writeDouble(moments.shift());
            out.writeDouble(moments.meanShifted());
            out.writeDouble(moments.sumSquaredDeviations());
            out.writeDouble(moments.min());
            out.writeDouble(moments.max());
            out.writeDouble(histogram.lowerEdge());
            out.writeDouble(histogram.binWidth());
            long[] counts = histogram.counts();
            out.writeInt(counts.length);
            for (long c : counts) {
                out.writeLong(c);
            }
            out.writeLong(histogram.underflow());
            out.writeLong(histogram.overflow());
            byte[] kll = sketch.toByteArray();
            out.writeInt(kll.length);
            out.write(kll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static DistributionSummary fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown DistributionSummary format " + format);
            }
            long n = in.readLong();
            double shift = in.readDouble();
            double meanShifted = in.readDouble();
            double m2 = in.readDouble();
            double min = in.readDouble();
            double max = in.readDouble();
            MomentAccumulator moments = n == 0 ? new MomentAccumulator() : MomentAccumulator.of(n, shift, meanShifted, m2, min, max);
            double lower = in.readDouble();
            double width = in.readDouble();
            long[] counts = new long[in.readInt()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = in.readLong();
            }
            FixedBinHistogram histogram = FixedBinHistogram.of(lower, width, counts, in.readLong(), in.readLong());
            byte[] kll = new byte[in.readInt()];
            in.readFully(kll);
            KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(kll));
            return new DistributionSummary(moments, sketch, histogram);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
