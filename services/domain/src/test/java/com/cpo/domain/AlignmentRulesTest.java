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
}
