package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BurnInRulesTest {

    private static final long MINUTE = 60_000;
    private static final LimitSet LIMITS = new LimitSet("CPO-OE16/BURNIN", 1, Instant.EPOCH, List.of(
            new Limit(Parameters.POWER_DRIFT, null, -0.5, 0.5, "dB"),
            new Limit(Parameters.BIAS_DRIFT, null, null, 5.0, "%"),
            new Limit(Parameters.SUDDEN_DROP, null, null, 1.0, "dB")));

    /** 24 h of readings every minute; power falls linearly by {@code totalDriftDb}. */
    private static BurnInChannel channel(double totalDriftDb, double biasGrowthPct) {
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        int minutes = 24 * 60;
        for (int m = 0; m <= minutes; m++) {
            double f = (double) m / minutes;
            c.add(m * MINUTE, 3.0 + totalDriftDb * f, 40.0 * (1 + biasGrowthPct / 100 * f));
        }
        return c;
    }

    @Test
    void baselineIsTheMeanOfTheFirstHourNotTheFirstReading() {
        BurnInChannel c = channel(-0.48, 0);
        // readings of the first hour average to 3.0 − 0.48 · (29.5 / 1440)
        assertThat(c.baselinePowerDbm()).isCloseTo(3.0 - 0.48 * 29.5 / 1440, within(1e-9));
        assertThat(c.powerDriftDb()).isCloseTo(-0.48 * (1 - 30.0 / 1440 - 29.5 / 1440), within(1e-3));
    }

    @Test
    void aStableChannelPasses() {
        Evaluation e = BurnInRules.evaluate(LIMITS, Map.of(1, channel(-0.1, 1.0)), false, 1441, 1441);
        assertThat(e.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void powerDriftBeyondTheLimitFailsNamingTheChannel() {
        Evaluation e = BurnInRules.evaluate(LIMITS, Map.of(1, channel(-0.1, 0), 2, channel(-0.9, 0)), false, 2882, 2882);
        assertThat(e.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(e.failedChecks()).singleElement().satisfies(f -> {
            assertThat(f.parameter()).isEqualTo(Parameters.POWER_DRIFT);
            assertThat(f.channel()).isEqualTo(2);
            assertThat(f.unitOfMeasure()).isEqualTo("dB");
        });
    }

    @Test
    void biasDriftIsJudgedInPercent() {
        Evaluation e = BurnInRules.evaluate(LIMITS, Map.of(1, channel(0, 8.0)), false, 1441, 1441);
        assertThat(e.failedChecks()).singleElement().satisfies(f -> {
            assertThat(f.parameter()).isEqualTo(Parameters.BIAS_DRIFT);
            assertThat(f.value()).isBetween(7.0, 8.0);
        });
    }

    @Test
    void aSuddenDropFailsEvenWhenTheChannelRecovers() {
        // a step of 1.5 dB that holds for five readings, then the channel comes back
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        for (int m = 0; m <= 180; m++) {
            c.add(m * MINUTE, m >= 120 && m < 125 ? 1.5 : 3.0, 40.0);
        }
        Evaluation e = BurnInRules.evaluate(LIMITS, Map.of(1, c), false, 181, 181);
        assertThat(c.maxDropDb()).isCloseTo(1.5, within(1e-12));
        assertThat(e.failedChecks()).extracting(FailedCheck::parameter).containsExactly(Parameters.SUDDEN_DROP);
    }

    @Test
    void aSingleOutlierReadingIsNoDrop() {
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        for (int m = 0; m <= 180; m++) {
            c.add(m * MINUTE, m == 120 ? 0.5 : 3.0, 40.0);
        }
        assertThat(c.maxDropDb()).isZero();
        assertThat(BurnInRules.evaluate(LIMITS, Map.of(1, c), false, 181, 181).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aStepOnTheLastReadingIsNotConfirmed() {
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        double drop = 0;
        for (int m = 0; m <= 120; m++) {
            drop = c.add(m * MINUTE, m == 120 ? 1.0 : 3.0, 40.0);
        }
        assertThat(drop).isZero();
        assertThat(c.add(121 * MINUTE, 1.0, 40.0)).as("confirmed by the next reading").isCloseTo(2.0, within(1e-12));
    }

    @Test
    void theDriftSlopeProjectsTheTimeToTheLimitWhileInTheRack() {
        // given 6 hours of a steady -0.05 dB/h drift
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        for (int m = 0; m <= 360; m++) {
            c.add(m * MINUTE, 3.0 - 0.05 * m / 60.0, 40.0);
        }
        // then the slope is -0.05 dB/h and the -0.5 dB limit is ~4.5 h away (drift now ≈ -0.275 dB vs baseline)
        assertThat(c.powerSlopeDbPerHour()).isCloseTo(-0.05, within(1e-9));
        assertThat(c.powerFit().slopeStdError()).isLessThan(1e-6);
        assertThat(c.powerHoursToLimit(-0.5, 0.5)).isCloseTo((0.5 - (0.3 - 0.0246)) / 0.05, within(0.05));
    }

    @Test
    void noSlopeBeforeTwiceTheMinimumFitSpanAfterStabilisation() {
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        for (int m = 0; m < 60 + 4 * 60; m++) {
            c.add(m * MINUTE, 3.0 - 0.05 * m / 60.0, 40.0);
        }
        assertThat(c.powerFit()).isNull();
        c.add((60 + 4 * 60) * MINUTE, 3.0, 40.0);
        assertThat(c.powerFit()).isNotNull();
    }

    @Test
    void aChannelSurvivesItsByteForm() {
        BurnInChannel c = channel(-0.3, 2.0);
        BurnInChannel back = BurnInChannel.fromBytes(c.toBytes());
        assertThat(back.powerDriftDb()).isEqualTo(c.powerDriftDb());
        assertThat(back.biasDriftPct()).isEqualTo(c.biasDriftPct());
        assertThat(back.powerSlopeDbPerHour()).isEqualTo(c.powerSlopeDbPerHour());
        assertThat(back.readings()).isEqualTo(c.readings());
    }

    @Test
    void aRunShorterThanTheStabilisationWindowIsIncomplete() {
        BurnInChannel c = BurnInChannel.withDefaultWindows();
        c.add(0, 3.0, 40);
        c.add(MINUTE, 3.0, 40);
        assertThat(BurnInRules.evaluate(LIMITS, Map.of(1, c), false, 2, 2).outcome()).isEqualTo(Outcome.INCOMPLETE);
    }
}
