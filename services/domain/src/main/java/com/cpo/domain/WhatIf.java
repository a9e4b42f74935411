package com.cpo.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.cpo.domain.stats.Capability;
import com.cpo.domain.stats.MomentAccumulator;

/**
 * What a draft limit set would have done: stored alignment runs judged again, each with the version in force and with the
 * draft, by {@link AlignmentRules#evaluate} (the live judge's rule, not a second one), and the figures of both side by side.
 *
 * <p>Figures, per station and for all stations together (station null), for the unit (channel null) and per channel:
 * <ul>
 * <li>FPY and final yield: a unit's first and last run at the station ({@link UnitYield}); for a channel, a run passes when
 * none of its checks on that channel failed and it was not INCOMPLETE;</li>
 * <li>Cpk of coupling loss at the last alignment step ({@value #CAPABILITY_STEP}) of every judged run, against the limit
 * that binds the channel in each version ({@link LimitSet#binding}); the same values, so the same mean and σ.</li>
 * </ul>
 * A run flips when its outcome differs between the two versions; its checks are those that failed under the version it
 * fails with. Feed one unit's runs at a time ({@link #unit}); memory holds the figures, not the runs.
 */
public final class WhatIf {

    /** The step whose coupling loss capability is shown: the engine as it leaves the line. */
    public static final String CAPABILITY_STEP = AlignmentRules.POST_THERMAL;

    /**
     * One stored run, as the judge saw it.
     *
     * @param expectedSteps the alignment steps the tester reported
     * @param receivedSteps the steps stored
     */
    public record Run(String station, Instant start, int attempt, boolean aborted, int expectedSteps, int receivedSteps,
            List<ChannelValue> values) {
    }

    /**
     * A run whose verdict the draft changes.
     *
     * @param checks the checks failed under the version the run fails with (the draft's for PASS → FAIL)
     */
    public record Flip(String serial, String station, Instant start, int attempt, Outcome inForce, Outcome draft,
            List<FailedCheck> checks) {
    }

    /**
     * The figures of one station (null: all) and channel (null: the unit) with both versions. Yields are 0..1, NaN without
     * units; limits are the binding coupling-loss upper limit in dB, null when none binds.
     */
    public record Row(String station, Integer channel, int units, double fpyInForce, double fpyDraft, double finalYieldInForce,
            double finalYieldDraft, long values, double meanDb, double sigmaDb, Double uslInForceDb, Double uslDraftDb, double cpkInForce,
            double cpkDraft) {
    }

    private final LimitSet inForce;
    private final LimitSet draft;
    private final int channels;
    /** Per station ("" = all): counts per channel index (0 = unit, c = channel c). */
    private final Map<String, Figures> figures = new TreeMap<>();
    private long runs;
    private long flips;
    private long passToFail;
    private long failToPass;

    /**
     * @param inForce the version in force, the one the draft would replace (null: none, every run INCOMPLETE with it)
     * @param draft the draft
     * @param channels the product's channel count
     */
    public WhatIf(LimitSet inForce, LimitSet draft, int channels) {
        this.inForce = inForce;
        this.draft = draft;
        this.channels = channels;
    }

    /** Judges one unit's runs (any order) with both versions, adds them to the figures, and returns the runs that flip. */
    public List<Flip> unit(String serial, List<Run> unitRuns) {
        if (unitRuns.isEmpty()) {
            return List.of();
        }
        List<Flip> flipped = new ArrayList<>(0);
        Map<String, List<Judged>> byStation = new TreeMap<>();
        List<Judged> all = new ArrayList<>(unitRuns.size());
        for (Run run : unitRuns) {
            Evaluation before = AlignmentRules.evaluate(inForce, run.values(), run.aborted(), run.expectedSteps(), run.receivedSteps());
            Evaluation after = AlignmentRules.evaluate(draft, run.values(), run.aborted(), run.expectedSteps(), run.receivedSteps());
            runs++;
            if (before.outcome() != after.outcome()) {
                flips++;
                boolean toFail = after.outcome() == Outcome.FAIL;
                passToFail += toFail && before.outcome() == Outcome.PASS ? 1 : 0;
                failToPass += before.outcome() == Outcome.FAIL && after.outcome() == Outcome.PASS ? 1 : 0;
                flipped.add(new Flip(serial, run.station(), run.start(), run.attempt(), before.outcome(), after.outcome(),
                        toFail ? after.failedChecks() : before.failedChecks()));
            }
            Judged judged = new Judged(run, before, after);
            all.add(judged);
            byStation.computeIfAbsent(run.station(), s -> new ArrayList<>()).add(judged);
        }
        add("", serial, all);
        byStation.forEach((station, judged) -> add(station, serial, judged));
        return flipped;
    }

    private record Judged(Run run, Evaluation before, Evaluation after) {
    }

    private void add(String station, String serial, List<Judged> judged) {
        Figures f = figures.computeIfAbsent(station, s -> new Figures(channels));
        // which run decides FPY and which final yield: the unit's first and last by UnitYield's order (outcomes do not move them)
        List<UnitRun> order = new ArrayList<>(judged.size());
        for (Judged j : judged) {
            order.add(new UnitRun(serial, j.run().start(), j.run().attempt(), station, j.before().outcome()));
        }
        UnitYield yield = UnitYield.of(order);
        Judged first = judged.get(indexOf(order, yield.first()));
        Judged last = judged.get(indexOf(order, yield.last()));
        for (int c = 0; c <= channels; c++) {
            f.units[c]++;
            f.firstBefore[c] += outcome(first.before(), c).passed() ? 1 : 0;
            f.firstAfter[c] += outcome(first.after(), c).passed() ? 1 : 0;
            f.finalBefore[c] += outcome(last.before(), c).passed() ? 1 : 0;
            f.finalAfter[c] += outcome(last.after(), c).passed() ? 1 : 0;
        }
        for (Judged j : judged) {
            if (j.before().outcome() == Outcome.INCOMPLETE && j.after().outcome() == Outcome.INCOMPLETE) {
                continue;
            }
            for (ChannelValue v : j.run().values()) {
                if (v.step().equals(CAPABILITY_STEP) && v.channel() >= 1 && v.channel() <= channels) {
                    f.loss[v.channel()].add(v.couplingLossDb());
                }
            }
        }
    }

    private static int indexOf(List<UnitRun> runs, UnitRun run) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i) == run) {
                return i;
            }
        }
        throw new IllegalStateException("not among the unit's runs: " + run);
    }

    /** Adds another what-if's figures of the same two versions (other units) to these: judging can be split over threads. */
    public void merge(WhatIf other) {
        if (other.channels != channels) {
            throw new IllegalArgumentException("what-ifs of " + channels + " and " + other.channels + " channels");
        }
        runs += other.runs;
        flips += other.flips;
        passToFail += other.passToFail;
        failToPass += other.failToPass;
        other.figures.forEach((station, o) -> {
            Figures f = figures.computeIfAbsent(station, s -> new Figures(channels));
            for (int c = 0; c <= channels; c++) {
                f.units[c] += o.units[c];
                f.firstBefore[c] += o.firstBefore[c];
                f.firstAfter[c] += o.firstAfter[c];
                f.finalBefore[c] += o.finalBefore[c];
                f.finalAfter[c] += o.finalAfter[c];
                f.loss[c].merge(o.loss[c]);
            }
        });
    }

    /** A run's outcome on one channel (0: the run's own). */
    private static Outcome outcome(Evaluation e, int channel) {
        if (channel == 0 || e.outcome() != Outcome.FAIL) {
            return e.outcome();
        }
        for (FailedCheck check : e.failedChecks()) {
            if (check.channel() != null && check.channel() == channel) {
                return Outcome.FAIL;
            }
        }
        return Outcome.PASS;
    }

    private static final class Figures {
        final int[] units;
        final int[] firstBefore;
        final int[] firstAfter;
        final int[] finalBefore;
        final int[] finalAfter;
        final MomentAccumulator[] loss;

        Figures(int channels) {
            units = new int[channels + 1];
            firstBefore = new int[channels + 1];
            firstAfter = new int[channels + 1];
            finalBefore = new int[channels + 1];
            finalAfter = new int[channels + 1];
            loss = new MomentAccumulator[channels + 1];
            for (int c = 0; c <= channels; c++) {
                loss[c] = new MomentAccumulator();
            }
        }
    }

    /** The figures so far: all stations first, then each station; the unit's row, then channel 1, 2, ... */
    public List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, Figures> e : figures.entrySet()) {
            Figures f = e.getValue();
            String station = e.getKey().isEmpty() ? null : e.getKey();
            for (int c = 0; c <= channels; c++) {
                Double uslBefore = c == 0 ? null : usl(inForce, c);
                Double uslAfter = c == 0 ? null : usl(draft, c);
                MomentAccumulator m = f.loss[c];
                double mean = m.count() == 0 ? Double.NaN : m.mean();
                double sigma = m.count() < 2 ? Double.NaN : m.standardDeviation();
                out.add(new Row(station, c == 0 ? null : c, f.units[c], ratio(f.firstBefore[c], f.units[c]), ratio(f.firstAfter[c], f.units[c]),
                        ratio(f.finalBefore[c], f.units[c]), ratio(f.finalAfter[c], f.units[c]), m.count(), mean, sigma, uslBefore, uslAfter,
                        cpk(inForce, c, mean, sigma), cpk(draft, c, mean, sigma)));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    private static Double usl(LimitSet set, int channel) {
        return set == null ? null : set.binding(Parameters.COUPLING_LOSS, channel).map(Limit::upper).orElse(null);
    }

    private static double cpk(LimitSet set, int channel, double mean, double sigma) {
        if (set == null || channel == 0) {
            return Double.NaN;
        }
        return set.binding(Parameters.COUPLING_LOSS, channel).map(l -> Capability.of(mean, sigma, l.lower(), l.upper()).cpk())
                .orElse(Double.NaN);
    }

    public long runs() {
        return runs;
    }

    public long flips() {
        return flips;
    }

    public long passToFail() {
        return passToFail;
    }

    public long failToPass() {
        return failToPass;
    }
}
