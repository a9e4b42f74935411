package com.cpo.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict rules of active alignment. A run passes when every coupling-loss value, at every step
 * measured, is within every limit on {@link Parameters#COUPLING_LOSS} that applies to its channel.
 */
public final class AlignmentRules {

    private AlignmentRules() {
    }

    /**
     * Judges a completed alignment run.
     *
     * @param limits the limit set in force at the run's start, or null when none was
     * @param values every channel value of every step received
     * @param aborted whether the tester aborted the run
     * @param expectedSteps how many steps the tester reported it measured
     * @param receivedSteps how many steps arrived
     */
    public static Evaluation evaluate(LimitSet limits, List<ChannelValue> values, boolean aborted, int expectedSteps,
            int receivedSteps) {
        if (aborted) {
            return Evaluation.incomplete("run aborted at the tester");
        }
        if (receivedSteps < expectedSteps) {
            return Evaluation.incomplete("measurements missing: " + receivedSteps + " of " + expectedSteps + " alignment steps received");
        }
        if (limits == null) {
            return Evaluation.incomplete("no limit set in force at the run's start");
        }
        if (values.isEmpty()) {
            return Evaluation.incomplete("no coupling-loss values in the run");
        }
        List<FailedCheck> failed = new ArrayList<>();
        for (ChannelValue value : values) {
            for (Limit limit : limits.limitsFor(Parameters.COUPLING_LOSS, value.channel())) {
                if (!limit.passes(value.couplingLossDb())) {
                    failed.add(new FailedCheck(Parameters.COUPLING_LOSS, value.step(), value.channel(),
                            value.couplingLossDb(), limit.lower(), limit.upper(), limit.unitOfMeasure()));
                }
            }
        }
        return new Evaluation(failed.isEmpty() ? Outcome.PASS : Outcome.FAIL, failed, null);
    }
}
