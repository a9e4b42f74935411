package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AlignmentRulesTest {

    private static final LimitSet USL_2_DB = new LimitSet("CPO-OE16/ALIGN", 1, Instant.EPOCH,
            List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 2.0, "dB")));

    private static List<ChannelValue> allChannels(double db) {
        List<ChannelValue> values = new ArrayList<>();
        for (String step : List.of("PRE_CURE", "POST_UV", "POST_THERMAL")) {
            for (int ch = 1; ch <= 16; ch++) {
                values.add(new ChannelValue(step, ch, db));
            }
        }
        return values;
    }

    @Test
    void aRunWithEveryChannelBelowTheUpperLimitPasses() {
        Evaluation evaluation = AlignmentRules.evaluate(USL_2_DB, allChannels(1.2), false, 3, 3);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.PASS);
        assertThat(evaluation.failedChecks()).isEmpty();
    }

    @Test
    void aValueExactlyOnTheLimitPasses() {
        assertThat(AlignmentRules.evaluate(USL_2_DB, allChannels(2.0), false, 3, 3).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aBadChannelFailsTheRunAndIsNamedWithItsValueAndLimit() {
        // given channel 7 at 3.1 dB after thermal cure
        List<ChannelValue> values = allChannels(1.2);
        values.add(new ChannelValue("POST_THERMAL", 7, 3.1));

        // when
        Evaluation evaluation = AlignmentRules.evaluate(USL_2_DB, values, false, 3, 3);

        // then
        assertThat(evaluation.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(evaluation.failedChecks()).containsExactly(
                new FailedCheck(Parameters.COUPLING_LOSS, "POST_THERMAL", 7, 3.1, null, 2.0, "dB"));
    }

    @Test
    void aChannelSpecificLimitAppliesOnlyToItsChannel() {
        LimitSet limits = new LimitSet("x", 1, Instant.EPOCH, List.of(new Limit(Parameters.COUPLING_LOSS, 3, 0.5, 1.0, "dB")));
        Evaluation evaluation = AlignmentRules.evaluate(limits, allChannels(1.2), false, 3, 3);
        assertThat(evaluation.failedChecks()).extracting(FailedCheck::channel).containsOnly(3).hasSize(3);
    }

    @Test
    void anAbortedRunIsIncompleteNeverAPass() {
        Evaluation evaluation = AlignmentRules.evaluate(USL_2_DB, allChannels(1.2), true, 3, 3);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(evaluation.reason()).contains("aborted");
    }

    @Test
    void missingStepsMakeTheRunIncomplete() {
        Evaluation evaluation = AlignmentRules.evaluate(USL_2_DB, allChannels(1.2), false, 3, 2);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(evaluation.reason()).contains("2 of 3");
    }

    @Test
    void withoutALimitSetTheRunIsIncomplete() {
        assertThat(AlignmentRules.evaluate(null, allChannels(1.2), false, 3, 3).outcome()).isEqualTo(Outcome.INCOMPLETE);
    }

    @Test
    void theVersionInForceIsTheLatestReleasedBeforeTheRunStarted() {
        LimitSet v1 = new LimitSet("x", 1, Instant.parse("2026-01-01T00:00:00Z"), List.of());
        LimitSet v2 = new LimitSet("x", 2, Instant.parse("2026-06-01T00:00:00Z"), List.of());
        assertThat(LimitSet.inForceAt(List.of(v2, v1), Instant.parse("2026-03-01T00:00:00Z"))).isEqualTo(v1);
        assertThat(LimitSet.inForceAt(List.of(v1, v2), Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(v2);
        assertThat(LimitSet.inForceAt(List.of(v1, v2), Instant.parse("2025-12-31T00:00:00Z"))).isNull();
    }

    @Test
    void cureShiftPdlAndSpreadAreCheckedWhereLimitsExist() {
        // given limits on shift, PDL and spread, and a unit whose channel 5 shifts 0.6 dB in cure
        LimitSet limits = new LimitSet("x", 1, Instant.EPOCH, List.of(
                new Limit(Parameters.COUPLING_LOSS, null, null, 2.0, "dB"),
                new Limit(Parameters.CURE_SHIFT, null, null, 0.3, "dB"),
                new Limit(Parameters.PDL, null, null, 0.5, "dB"),
                new Limit(Parameters.CHANNEL_SPREAD, null, null, 0.5, "dB")));
        List<ChannelValue> values = new ArrayList<>();
        for (int ch = 1; ch <= 8; ch++) {
            values.add(new ChannelValue("PRE_CURE", ch, 1.0, 0.2));
            values.add(new ChannelValue("POST_THERMAL", ch, ch == 5 ? 1.6 : 1.05, ch == 2 ? 0.7 : 0.2));
        }

        // when
        Evaluation evaluation = AlignmentRules.evaluate(limits, values, false, 2, 2);

        // then
        assertThat(evaluation.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(evaluation.failedChecks()).extracting(FailedCheck::parameter, FailedCheck::channel)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Parameters.PDL, 2),
                        org.assertj.core.groups.Tuple.tuple(Parameters.CURE_SHIFT, 5),
                        org.assertj.core.groups.Tuple.tuple(Parameters.CHANNEL_SPREAD, null));
        FailedCheck spread = evaluation.failedChecks().stream().filter(f -> f.parameter().equals(Parameters.CHANNEL_SPREAD)).findFirst().orElseThrow();
        assertThat(spread.value()).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(spread.step()).isEqualTo("POST_THERMAL");
    }
}
