package com.cpo.domain.spc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.cpo.domain.spc.WesternElectric.Rule;

class WesternElectricTest {

    private static Set<Rule> last(Double... z) {
        return WesternElectric.violations(List.of(z));
    }

    @Test
    void onePointBeyondThreeSigma() {
        assertThat(last(0.1, -0.4, 3.2)).containsExactly(Rule.BEYOND_3_SIGMA);
        assertThat(last(0.1, -0.4, -3.01)).containsExactly(Rule.BEYOND_3_SIGMA);
        assertThat(last(0.1, -0.4, 2.99)).isEmpty();
    }

    @Test
    void twoOfThreeBeyondTwoSigmaOnOneSide() {
        assertThat(last(2.5, 0.3, 2.1)).containsExactly(Rule.TWO_OF_THREE_BEYOND_2_SIGMA);
        assertThat(last(-2.5, -2.2)).containsExactly(Rule.TWO_OF_THREE_BEYOND_2_SIGMA);
        assertThat(last(2.5, 0.3, -2.1)).as("opposite sides").isEmpty();
        assertThat(last(2.5, 0.3, 0.1, 2.1)).as("not within three").isEmpty();
    }

    @Test
    void fourOfFiveBeyondOneSigmaOnOneSide() {
        assertThat(last(1.2, 1.5, 0.2, 1.1, 1.3)).containsExactly(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA);
        assertThat(last(-1.2, -1.5, -1.1, -1.3)).containsExactly(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA);
        assertThat(last(1.2, 1.5, 0.2, 0.4, 1.3)).as("three of five").isEmpty();
    }

    @Test
    void eightInARowOnOneSide() {
        assertThat(last(0.2, 0.5, 0.1, 0.9, 0.3, 0.4, 0.2, 0.6)).containsExactly(Rule.EIGHT_ON_ONE_SIDE);
        assertThat(last(0.2, 0.5, 0.1, 0.9, 0.3, 0.4, 0.2)).as("seven").isEmpty();
        assertThat(last(0.2, 0.5, 0.1, -0.9, 0.3, 0.4, 0.2, 0.6)).isEmpty();
    }

    @Test
    void aPointCanBreakSeveralRules() {
        assertThat(last(0.5, 1.5, 1.4, 2.5, 3.5)).containsExactlyInAnyOrder(Rule.BEYOND_3_SIGMA, Rule.TWO_OF_THREE_BEYOND_2_SIGMA,
                Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA);
    }

    @Test
    void aChartRemembersItsLastEightPoints() {
        List<Double> z = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            z = WesternElectric.remember(z, i);
        }
        assertThat(z).containsExactly(12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0);
    }

    @Test
    void theBaselineIsTheGrandMeanAndThePooledWithinHourSigma() {
        List<Subgroup> period = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            period.add(new Subgroup(i % 2 == 0 ? 10 : 30, i % 2 == 0 ? 1.0 : 1.2, i % 2 == 0 ? 0.1 : 0.2));
        }
        ControlBaseline b = ControlBaseline.of(period);
        assertThat(b.centre()).isCloseTo((10 * 1.0 + 30 * 1.2) / 40, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(b.sigma()).isCloseTo(Math.sqrt((9 * 0.01 + 29 * 0.04) / 38), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(b.z(new Subgroup(25, b.centre() + 0.1, 0.1))).isCloseTo(0.1 / (b.sigma() / 5), org.assertj.core.data.Offset.offset(1e-9));
        assertThatThrownBy(() -> ControlBaseline.of(period.subList(0, 19))).hasMessageContaining("at least 20 hourly subgroups");
    }

    /** Hourly subgroups of {@code n} units, N(mean, sigma). */
    private static Subgroup subgroup(SplittableRandom r, int n, double mean, double sigma) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = mean + sigma * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            sum += x;
            sumSq += x * x;
        }
        double m = sum / n;
        return new Subgroup(n, m, Math.sqrt((sumSq - n * m * m) / (n - 1)));
    }

    private static ControlBaseline baseline(SplittableRandom r, int n) {
        List<Subgroup> period = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            period.add(subgroup(r, n, 1.2, 0.25));
        }
        return ControlBaseline.of(period);
    }

    @Test
    void aShiftOfTwoTenthsOfADbAtOneStationIsFlaggedWithinThreeHourlySubgroups() {
        // 10 units an hour (a slow station), σ 0.25 dB between units: the shift is 2.5 standard errors of an hour's mean
        int trials = 500;
        int[] flaggedAt = new int[trials];
        for (int t = 0; t < trials; t++) {
            SplittableRandom r = new SplittableRandom(1000 + t);
            ControlBaseline b = baseline(r, 10);
            List<Double> z = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // the chart runs stably before the shift
                z = WesternElectric.remember(z, b.z(subgroup(r, 10, 1.2, 0.25)));
            }
            flaggedAt[t] = Integer.MAX_VALUE;
            for (int k = 1; k <= 20; k++) {
                z = WesternElectric.remember(z, b.z(subgroup(r, 10, 1.4, 0.25)));
                if (!WesternElectric.violations(z).isEmpty()) {
                    flaggedAt[t] = k;
                    break;
                }
            }
        }
        long withinThree = java.util.Arrays.stream(flaggedAt).filter(k -> k <= 3).count();
        long withinSix = java.util.Arrays.stream(flaggedAt).filter(k -> k <= 6).count();
        System.out.printf("shift +0.2 dB, 10 units/h, sigma 0.25 dB: flagged within 1 subgroup %d, within 3 %d, within 6 %d of %d trials%n",
                java.util.Arrays.stream(flaggedAt).filter(k -> k <= 1).count(), withinThree, withinSix, trials);
        assertThat(withinThree).as("flagged within 3 subgroups, of %d", trials).isGreaterThanOrEqualTo((long) (0.90 * trials));
        assertThat(withinSix).as("flagged within 6 subgroups, of %d", trials).isGreaterThanOrEqualTo((long) (0.99 * trials));
    }

    @Test
    void aStableProcessSignalsNoMoreOftenThanTheRulesPredict() {
        // the four rules together give an in-control average run length of 91.75 points (Champ and Woodall, 1987): the
        // points from one signal to the next, the chart starting afresh after each signal as after an investigation
        SplittableRandom r = new SplittableRandom(7);
        ControlBaseline b = baseline(r, 20);
        List<Double> z = new ArrayList<>();
        int points = 200_000;
        int signals = 0;
        for (int i = 0; i < points; i++) {
            z = WesternElectric.remember(z, b.z(subgroup(r, 20, 1.2, 0.25)));
            if (!WesternElectric.violations(z).isEmpty()) {
                signals++;
                z = new ArrayList<>();
            }
        }
        double averageRunLength = points / (double) signals;
        System.out.printf("stable process: %d signals in %d points, average run length %.1f (the rules predict 91.75)%n", signals, points,
                averageRunLength);
        assertThat(averageRunLength).as("in-control average run length, points").isBetween(91.75 * 0.8, 91.75 * 1.25);
    }
}
