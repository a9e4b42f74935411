package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import com.cpo.domain.BurnInAlarmRule.Change;
import com.cpo.domain.BurnInAlarmRule.Kind;
import com.cpo.domain.BurnInAlarmRule.Transition;

class BurnInAlarmRuleTest {

    private static final long MINUTE = 60_000;
    private static final LimitSet LIMITS = new LimitSet("CPO-OE16/BURNIN", 1, Instant.EPOCH, List.of(
            new Limit(Parameters.POWER_DRIFT, null, -0.5, 0.5, "dB"),
            new Limit(Parameters.BIAS_DRIFT, null, null, 5.0, "%"),
            new Limit(Parameters.SUDDEN_DROP, null, null, 1.0, "dB")));
    private static final BurnInAlarmRule.Settings SETTINGS = BurnInAlarmRule.Settings.defaults();

    /** A change with the hour it happened. */
    record Timed(double hour, Change change) {
    }

    /**
     * 24 h of readings every 5 minutes on the given channels: power 3 dBm plus {@code power(hour)} plus noise, bias 40 mA
     * times (1 + {@code biasPct(hour)} / 100).
     */
    private static List<Timed> play(int[] channels, DoubleUnaryOperator power, DoubleUnaryOperator biasPct, double noiseDb, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> open = new ArrayList<>();
        List<Timed> changes = new ArrayList<>();
        BurnInChannel[] trackers = new BurnInChannel[17];
        for (int k = 0; k <= 24 * 12; k++) {
            double hour = k / 12.0;
            for (int ch = 1; ch <= 16; ch++) {
                BurnInChannel t = trackers[ch] == null ? trackers[ch] = BurnInChannel.withDefaultWindows() : trackers[ch];
                boolean bad = contains(channels, ch);
                double p = 3.0 + (bad ? power.applyAsDouble(hour) : 0) + noiseDb * gaussian(random);
                double b = 40.0 * (1 + (bad ? biasPct.applyAsDouble(hour) : 0) / 100 + 0.002 * gaussian(random));
                double drop = t.add(k * 5 * MINUTE, p, b);
                List<BurnInAlarmRule.Finding> findings = BurnInAlarmRule.evaluate(LIMITS, ch, t, drop, SETTINGS, BurnInAlarmRule.openOn(open, ch));
                BurnInAlarmRule.update(open, ch, findings).forEach(c -> changes.add(new Timed(hour, c)));
            }
        }
        return changes;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void readingNoiseRaisesNothing() {
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(play(new int[0], h -> 0, h -> 0, 0.03, seed)).isEmpty();
        }
    }

    @Test
    void aBenignSettlingCurveRaisesNothing() {
        // power starts 0.5 dB high and settles with a 45 minute time constant: the baseline hour still holds part of it
        assertThat(play(new int[] {3, 4}, h -> 0.5 * Math.exp(-h / 0.75), h -> 0, 0.01, 7)).isEmpty();
    }

    @Test
    void aSingleOutlierReadingRaisesNothing() {
        assertThat(play(new int[] {5}, h -> Math.abs(h - 10.0) < 0.01 ? -3.0 : 0, h -> 0, 0.01, 8)).isEmpty();
        assertThat(play(new int[] {5}, h -> Math.abs(h - 2.0) < 0.01 ? -3.0 : 0, h -> Math.abs(h - 6.0) < 0.01 ? 20 : 0, 0.01, 9)).isEmpty();
    }

    @Test
    void aMarginalDriftThatEndsInsideTheLimitRaisesNothing() {
        // falls linearly to -0.4 dB at the end: 80 % of the limit
        assertThat(play(new int[] {2}, h -> -0.4 * h / 24, h -> 4.0 * h / 24, 0.02, 10)).isEmpty();
    }

    @Test
    void aDriftThatWillFailIsAlarmedEarlyOncePerUnitNamingItsChannels() {
        // two channels falling linearly to -0.8 dB at 24 h
        List<Timed> changes = play(new int[] {6, 9}, h -> -0.8 * h / 24, h -> 0, 0.01, 11);

        assertThat(changes).first().satisfies(t -> {
            assertThat(t.change().transition()).isEqualTo(Transition.RAISED);
            assertThat(t.change().kind()).isEqualTo(Kind.POWER_DRIFT_PROJECTED);
            assertThat(t.hour()).as("alarmed at the first projection").isLessThan(6.0);
            assertThat(t.change().finding().message()).contains("channel").contains("dB/h").contains("limit -0.50 dB");
        });
        assertThat(changes).filteredOn(t -> t.change().transition() == Transition.RAISED).hasSize(1);
        assertThat(changes).last().satisfies(t -> assertThat(t.change().channels()).containsExactly(6, 9));
        assertThat(changes).noneMatch(t -> t.change().transition() == Transition.CLEARED);
    }

    @Test
    void aBiasDriftIsProjectedInPercent() {
        List<Timed> changes = play(new int[] {1}, h -> 0, h -> 9.0 * h / 24, 0.01, 12);
        assertThat(changes).singleElement().satisfies(t -> {
            assertThat(t.change().kind()).isEqualTo(Kind.BIAS_DRIFT_PROJECTED);
            assertThat(t.change().finding().unitOfMeasure()).isEqualTo("%");
            assertThat(t.hour()).isLessThan(8.0);
        });
    }

    @Test
    void aStepBeyondTheNoiseIsASuddenDropThatStaysOpen() {
        List<Timed> changes = play(new int[] {12}, h -> h >= 3.0 ? -1.6 : 0, h -> 0, 0.01, 13);
        assertThat(changes).first().satisfies(t -> {
            assertThat(t.change().kind()).isEqualTo(Kind.SUDDEN_DROP);
            assertThat(t.change().channels()).containsExactly(12);
            assertThat(t.hour()).isBetween(3.0, 3.1); // confirmed by the next reading
        });
        // the step also leaves the channel 1.6 dB below its baseline: its power drift will fail too, and is projected so
        assertThat(changes).extracting(t -> t.change().kind()).containsExactly(Kind.SUDDEN_DROP, Kind.POWER_DRIFT_PROJECTED);
    }

    @Test
    void anAlarmClearsWhenTheProjectionRecedes() {
        // falls fast for 8 h, then the drift stops at -0.42 dB, inside the limit
        List<Timed> changes = play(new int[] {7}, h -> -0.06 * Math.min(h, 7.0), h -> 0, 0.01, 14);
        assertThat(changes).extracting(t -> t.change().transition()).containsExactly(Transition.RAISED, Transition.CLEARED);
        assertThat(changes.get(0).hour()).isLessThan(6.0);
        assertThat(changes.get(1).hour()).isGreaterThan(7.0);
    }

    @Test
    void aTrackerKeptInTheFormerFormatIsReadAndProjectsOnceItsFitHasMovedPastIt() throws Exception {
        // given a format-1 tracker after 6 h of a -0.05 dB/h drift, written as the former release wrote it
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(3_600_000);
            out.writeLong(3_600_000);
            out.writeLong(0);
            out.writeLong(360 * MINUTE);
            out.writeDouble(2.7);
            out.writeDouble(0);
            out.writeLong(361);
            for (double[] m : new double[][] {{60, 3.0, -0.0246, 0.01, 2.95, 3.0}, {60, 40, 0, 0, 40, 40}}) {
                out.writeLong((long) m[0]);
                for (int k = 1; k < 6; k++) {
                    out.writeDouble(m[k]);
                }
            }
            out.writeLong(301);
            for (double d : new double[] {3.5, -0.15, 0, 627.5, -31.4, 0}) {
                out.writeDouble(d);
            }
            out.writeInt(0);
        }
        BurnInChannel c = BurnInChannel.fromBytes(bytes.toByteArray());
        assertThat(c.readings()).isEqualTo(361);
        assertThat(c.baselinePowerDbm()).isCloseTo(2.9754, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.powerFit().slopeStdError()).as("residuals unknown").isNaN();

        // when readings go on, then nothing is raised while the fit still holds the former state, and the drift is once it has moved on
        List<String> open = new ArrayList<>();
        double raisedAt = Double.NaN;
        for (int m = 365; m <= 24 * 60 && Double.isNaN(raisedAt); m += 5) {
            double drop = c.add(m * MINUTE, 3.0 - 0.05 * m / 60.0, 40.0);
            if (!BurnInAlarmRule.update(open, 1, BurnInAlarmRule.evaluate(LIMITS, 1, c, drop, SETTINGS, BurnInAlarmRule.openOn(open, 1))).isEmpty()) {
                raisedAt = m / 60.0;
            }
        }
        assertThat(raisedAt).isBetween(7.0, 14.0);
        assertThat(BurnInChannel.fromBytes(c.toBytes()).powerFit()).isEqualTo(c.powerFit());
    }
}
