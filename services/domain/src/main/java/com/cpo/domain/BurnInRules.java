package com.cpo.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verdict rules of burn-in, per channel: {@code power_drift} (dB) on final − baseline power,
 * {@code bias_drift} (%) on (final − baseline) / baseline bias, {@code sudden_drop} (dB) on the largest fall
 * between consecutive readings. See {@link BurnInChannel} for the definitions.
 */
public final class BurnInRules {

    private BurnInRules() {
    }

    /**
     * Judges a completed burn-in run.
     *
     * @param channels the tracked channels, by channel number
     */
    public static Evaluation evaluate(LimitSet limits, Map<Integer, BurnInChannel> channels, boolean aborted, int expectedReadings,
            long receivedReadings) {
        if (aborted) {
            return Evaluation.incomplete("run aborted at the rack");
        }
        if (receivedReadings < expectedReadings) {
            return Evaluation.incomplete("measurements missing: " + receivedReadings + " of " + expectedReadings + " burn-in readings received");
        }
        if (limits == null) {
            return Evaluation.incomplete("no limit set in force at the run's start");
        }
        if (channels.isEmpty()) {
            return Evaluation.incomplete("no burn-in readings in the run");
        }
        List<FailedCheck> failed = new ArrayList<>();
        for (Map.Entry<Integer, BurnInChannel> entry : channels.entrySet()) {
            int channel = entry.getKey();
            BurnInChannel c = entry.getValue();
            if (!c.baselineEstablished()) {
                return Evaluation.incomplete("channel " + channel + " left the rack before its stabilisation window ended");
            }
            check(limits, Parameters.POWER_DRIFT, channel, c.powerDriftDb(), failed);
            check(limits, Parameters.BIAS_DRIFT, channel, c.biasDriftPct(), failed);
            check(limits, Parameters.SUDDEN_DROP, channel, c.maxDropDb(), failed);
        }
        return new Evaluation(failed.isEmpty() ? Outcome.PASS : Outcome.FAIL, failed, null);
    }

    private static void check(LimitSet limits, String parameter, int channel, double value, List<FailedCheck> failed) {
        for (Limit limit : limits.binding(parameter, channel).stream().toList()) {
            if (!limit.passes(value)) {
                failed.add(new FailedCheck(parameter, null, channel, value, limit.lower(), limit.upper(), limit.unitOfMeasure()));
            }
        }
    }
}
