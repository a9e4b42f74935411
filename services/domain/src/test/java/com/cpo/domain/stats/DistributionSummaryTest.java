package com.cpo.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

class DistributionSummaryTest {

    private static final double RELATIVE = 1e-9;

    private static double[] couplingLoss(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1.2 + 0.25 * Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return values;
    }

    private static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * RELATIVE));
    }

    private static void assertMomentsMatch(MomentAccumulator actual, double[] values) {
        DescriptiveStatistics reference = new DescriptiveStatistics(values);
        assertThat(actual.count()).isEqualTo(values.length);
        assertRelative(actual.mean(), reference.getMean());
        assertRelative(actual.standardDeviation(), reference.getStandardDeviation());
        assertThat(actual.min()).isEqualTo(reference.getMin());
        assertThat(actual.max()).isEqualTo(reference.getMax());
    }

    @Test
    void momentsMatchAnIndependentComputation() {
        double[] values = couplingLoss(10_000, 1);
        MomentAccumulator moments = new MomentAccumulator();
        Arrays.stream(values).forEach(moments::add);
        assertMomentsMatch(moments, values);
    }

    @Test
    void illConditionedDataNearTenMillionKeepsItsPrecision() {
        // given values near 1e7 that differ only in their last digits
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[5_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e7 + random.nextInt(1000) * 1e-3;
        }
        MomentAccumulator moments = new MomentAccumulator();
        Arrays.stream(values).forEach(moments::add);

        // then mean and σ agree with commons-math3 (two-pass) to 1e-9 relative
        assertMomentsMatch(moments, values);
    }

    @Test
    void theTextbookFormulaWouldFailOnTheSameData() {
        // guards the test above: Σx² − (Σx)²/n loses everything here, so agreement is not luck
        double[] values = {1e7 + 0.001, 1e7 + 0.002, 1e7 + 0.003};
        double sum = 0;
        double sumSquares = 0;
        for (double v : values) {
            sum += v;
            sumSquares += v * v;
        }
        double naive = (sumSquares - sum * sum / values.length) / (values.length - 1);
        MomentAccumulator moments = new MomentAccumulator();
        Arrays.stream(values).forEach(moments::add);
        assertThat(Math.abs(naive - 1e-6)).isGreaterThan(1e-7);
        assertThat(moments.variance()).isCloseTo(1e-6, within(1e-6 * 1e-6));
    }

    @Test
    void mergingPartitionsEqualsAccumulatingEverythingInOne() {
        double[] values = couplingLoss(9_999, 3);
        MomentAccumulator[] parts = {new MomentAccumulator(), new MomentAccumulator(), new MomentAccumulator()};
        for (int i = 0; i < values.length; i++) {
            parts[i % 3 == 0 ? 0 : (i < 5000 ? 1 : 2)].add(values[i] + (i % 3 == 0 ? 0 : 0));
        }
        MomentAccumulator merged = new MomentAccumulator();
        for (MomentAccumulator part : parts) {
            merged.merge(part);
        }
        assertMomentsMatch(merged, values);
    }

    @Test
    void mergingIllConditionedPartitionsStaysExact() {
        SplittableRandom random = new SplittableRandom(9);
        double[] values = new double[4_000];
        MomentAccumulator a = new MomentAccumulator();
        MomentAccumulator b = new MomentAccumulator();
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e7 + random.nextInt(1000) * 1e-3;
            (i < 1000 ? a : b).add(values[i]);
        }
        a.merge(b);
        assertMomentsMatch(a, values);
    }

    @Test
    void allNegativeDataReportsANegativeMaximum() {
        MomentAccumulator moments = new MomentAccumulator();
        moments.add(-3.0);
        moments.add(-2.0);
        assertThat(moments.max()).isEqualTo(-2.0);
        assertThat(moments.min()).isEqualTo(-3.0);
    }

    @Test
    void quantilesAreWithinTheSketchRankError() {
        double[] values = couplingLoss(50_000, 5);
        DistributionSummary summary = DistributionSummary.forCouplingLossDb();
        Arrays.stream(values).forEach(summary::add);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {0.01, 0.5, 0.9, 0.99}) {
            double q = summary.quantile(p);
            double rank = (double) Math.abs(Arrays.binarySearch(sorted, q)) / sorted.length;
            assertThat(rank).as("rank of p%s", p * 100).isCloseTo(p, within(0.02));
        }
    }

    @Test
    void theHistogramCountsEveryValueInItsBin() {
        DistributionSummary summary = DistributionSummary.forCouplingLossDb();
        for (double v : new double[] {-0.1, 0.0, 0.05, 1.25, 1.2999, 4.99, 5.0, 7.5}) {
            summary.add(v);
        }
        FixedBinHistogram h = summary.histogram();
        assertThat(h.underflow()).isEqualTo(1);
        assertThat(h.overflow()).isEqualTo(2);
        assertThat(h.counts()[0]).isEqualTo(2);
        assertThat(h.counts()[12]).isEqualTo(2);
        assertThat(h.counts()[49]).isEqualTo(1);
        assertThat(h.total()).isEqualTo(8);
    }

    @Test
    void aValueOnABinEdgeOpensTheUpperBinDespiteBinaryFractions() {
        FixedBinHistogram h = new FixedBinHistogram(0.0, 0.1, 50);
        h.add(1.2);
        h.add(0.3);
        h.add(4.9);
        assertThat(h.counts()[12]).isEqualTo(1);
        assertThat(h.counts()[3]).isEqualTo(1);
        assertThat(h.counts()[49]).isEqualTo(1);
    }

    @Test
    void aSummarySurvivesItsByteForm() {
        DistributionSummary summary = DistributionSummary.forCouplingLossDb();
        Arrays.stream(couplingLoss(1000, 11)).forEach(summary::add);

        DistributionSummary back = DistributionSummary.fromBytes(summary.toBytes());

        assertThat(back.count()).isEqualTo(1000);
        assertThat(back.mean()).isEqualTo(summary.mean());
        assertThat(back.standardDeviation()).isEqualTo(summary.standardDeviation());
        assertThat(back.quantile(0.9)).isEqualTo(summary.quantile(0.9));
        assertThat(back.histogram().counts()).isEqualTo(summary.histogram().counts());
    }

    @Test
    void cpkWithOnlyAnUpperLimitIsThatSideAlone() {
        Capability c = Capability.of(1.2, 0.25, null, 2.0);
        assertThat(c.cpk()).isCloseTo((2.0 - 1.2) / 0.75, within(1e-12));
        assertThat(c.cp()).isNaN();
        // 1.07: the example line (N(1.2, 0.25) dB against 2.0 dB) is not capable, and is flagged
        assertThat(c.flagged()).isTrue();
        assertThat(Capability.of(1.2, 0.15, null, 2.0).flagged()).isFalse();
    }

    @Test
    void cpkWithBothLimitsIsTheWorseSide() {
        Capability c = Capability.of(1.0, 0.1, 0.5, 1.2);
        assertThat(c.cpk()).isCloseTo(0.2 / 0.3, within(1e-12));
        assertThat(c.cp()).isCloseTo(0.7 / 0.6, within(1e-12));
        assertThat(c.flagged()).isTrue();
    }
}
