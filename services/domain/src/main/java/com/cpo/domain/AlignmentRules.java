package com.cpo.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict rules of active alignment. Every limit of the set is checked where it applies:
 * <ul>
 * <li>{@code coupling_loss}: each channel at each step measured;</li>
 * <li>{@code pdl}: each channel at each step where the tester measured it;</li>
 * <li>{@code cure_shift}: each channel, post-thermal minus pre-cure (when both steps were measured);</li>
 * <li>{@code channel_spread}: each step, max minus min over the channels (a unit-wide check, no channel).</li>
 * </ul>
 * A run passes when no check fails. Aborted runs, runs with missing steps and runs without a limit set in
 * force are INCOMPLETE, never a pass.
 */
public final class AlignmentRules {

    static final String PRE_CURE = "PRE_CURE";
    static final String POST_THERMAL = "POST_THERMAL";

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
        Map<String, Map<Integer, ChannelValue>> bySteps = new TreeMap<>(AlignmentRules::stepOrder);
        for (ChannelValue value : values) {
            bySteps.computeIfAbsent(value.step(), s -> new TreeMap<>()).put(value.channel(), value);
            check(limits, Parameters.COUPLING_LOSS, value.step(), value.channel(), value.couplingLossDb(), failed);
            if (value.pdlDb() != null) {
                check(limits, Parameters.PDL, value.step(), value.channel(), value.pdlDb(), failed);
            }
        }
        Map<Integer, ChannelValue> pre = bySteps.get(PRE_CURE);
        Map<Integer, ChannelValue> post = bySteps.get(POST_THERMAL);
        if (pre != null && post != null) {
            for (Map.Entry<Integer, ChannelValue> channel : post.entrySet()) {
                ChannelValue before = pre.get(channel.getKey());
                if (before != null) {
                    double shiftDb = channel.getValue().couplingLossDb() - before.couplingLossDb();
                    check(limits, Parameters.CURE_SHIFT, null, channel.getKey(), shiftDb, failed);
                }
            }
        }
        for (Map.Entry<String, Map<Integer, ChannelValue>> step : bySteps.entrySet()) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (ChannelValue value : step.getValue().values()) {
                min = Math.min(min, value.couplingLossDb());
                max = Math.max(max, value.couplingLossDb());
            }
            for (Limit limit : limits.unitLimit(Parameters.CHANNEL_SPREAD).stream().toList()) {
                if (!limit.passes(max - min)) {
                    failed.add(new FailedCheck(Parameters.CHANNEL_SPREAD, step.getKey(), null, max - min, limit.lower(), limit.upper(),
                            limit.unitOfMeasure()));
                }
            }
        }
        return new Evaluation(failed.isEmpty() ? Outcome.PASS : Outcome.FAIL, failed, null);
    }

    private static void check(LimitSet limits, String parameter, String step, int channel, double value, List<FailedCheck> failed) {
        for (Limit limit : limits.binding(parameter, channel).stream().toList()) {
            if (!limit.passes(value)) {
                failed.add(new FailedCheck(parameter, step, channel, value, limit.lower(), limit.upper(), limit.unitOfMeasure()));
            }
        }
    }

    private static int stepOrder(String a, String b) {
        List<String> order = List.of(PRE_CURE, "POST_UV", POST_THERMAL);
        int ia = order.indexOf(a);
        int ib = order.indexOf(b);
        return ia >= 0 && ib >= 0 ? Integer.compare(ia, ib) : a.compareTo(b);
    }
}
