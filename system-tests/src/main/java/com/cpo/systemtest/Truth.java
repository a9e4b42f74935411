package com.cpo.systemtest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.cpo.domain.AlignmentRules;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.BurnInRules;
import com.cpo.domain.ChannelValue;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Outcome;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.events.AlignmentStep;
import com.cpo.events.Operation;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;

/**
 * What the simulated testers wrote, and what a fault-free platform must make of it: every event (by identity, e.g.
 * {@code runId|RESULT|POST_THERMAL}), every run with the outcome the domain rules give it against the seed limits,
 * and the figures that follow (yield per operation and lot, final coupling loss per station and channel). The
 * platform's verdicts and figures are compared with these, so a run with faults must end where a run without them does.
 */
public final class Truth {

    /**
     * One run: its id as the agent names it, operation, unit, lot, station, start (ms), expected outcome, how many events
     * it has, and how many measurements PostgreSQL must hold of it (alignment values per step and channel, burn-in readings).
     */
    public record Run(String runId, Operation operation, String serial, String lot, String station, long startMs, Outcome outcome,
            int events, int measurements) {
    }

    /** Expected statistics of one station and channel (post-thermal coupling loss, dB). */
    public record ChannelStats(long n, double meanDb, double minDb, double maxDb) {
    }

    final Map<String, Run> runs = new LinkedHashMap<>();
    /** Identity keys of every event written. */
    final Map<String, String> events = new HashMap<>();
    /** operation|lot to yield figures. */
    final Map<String, YieldFigures> lotYield = new TreeMap<>();
    /** station|channel to statistics. */
    final Map<String, ChannelStats> stationStats = new TreeMap<>();

    private Truth() {
    }

    /**
     * Builds the truth of what was written.
     *
     * @param alignment every alignment run the simulated testers wrote (and the agents were meant to take)
     * @param racks the rack simulators, station id to simulator
     * @param limitSets the released limit sets (Avro), judged by as the analytics app does
     */
    public static Truth of(List<SimulatedRun> alignment, Map<String, BurnInSimulator> racks, List<com.cpo.events.LimitSet> limitSets) {
        Truth t = new Truth();
        Map<String, LimitSet> byId = new HashMap<>();
        for (com.cpo.events.LimitSet e : limitSets) {
            byId.put(e.getLimitSetId(), new LimitSet(e.getLimitSetId(), e.getVersion(), e.getEffectiveFrom(), e.getLimits().stream()
                    .map(l -> new Limit(l.getParameter(), l.getChannel(), l.getLowerLimit(), l.getUpperLimit(), l.getUnitOfMeasure()))
                    .toList()));
        }
        LimitSet burnInLimits = byId.get("CPO-OE16/BURNIN");
        Map<String, List<double[]>> finalLoss = new TreeMap<>();
        for (SimulatedRun r : alignment) {
            String runId = r.station() + "/" + r.serial() + "/ALIGN/" + r.attempt();
            List<ChannelValue> values = new ArrayList<>();
            for (AlignmentStep step : AlignmentStep.values()) {
                for (int ch = 1; ch <= r.channels(); ch++) {
                    values.add(new ChannelValue(step.name(), ch, asWritten(r.valueAt(step, ch)), asWritten(r.pdlDb()[step.ordinal()][ch - 1])));
                }
            }
            Outcome outcome = AlignmentRules.evaluate(byId.get(r.product() + "/ALIGN"), values, r.aborted(), AlignmentStep.values().length,
                    AlignmentStep.values().length).outcome();
            t.runs.put(runId, new Run(runId, Operation.ALIGN, r.serial(), r.lot(), r.station(), r.start().toEpochMilli(), outcome, 5,
                    AlignmentStep.values().length * r.channels()));
            t.events.put(runId + "|START", runId);
            for (AlignmentStep step : AlignmentStep.values()) {
                t.events.put(runId + "|RESULT|" + step, runId);
            }
            t.events.put(runId + "|END", runId);
            for (int ch = 1; outcome != Outcome.INCOMPLETE && ch <= r.channels(); ch++) {
                finalLoss.computeIfAbsent(r.station() + "|" + ch, k -> new ArrayList<>())
                        .add(new double[] {asWritten(r.valueAt(AlignmentStep.POST_THERMAL, ch))});
            }
        }
        for (Map.Entry<String, BurnInSimulator> rack : racks.entrySet()) {
            for (BurnInSimulator.UnitRun u : rack.getValue().made()) {
                String runId = rack.getKey() + "/" + u.serial() + "/BURNIN/" + u.attempt();
                Map<Integer, BurnInChannel> channels = new TreeMap<>();
                long accepted = 0;
                for (BurnInSimulator.Reading reading : u.readings().stream().sorted(Comparator.comparing(BurnInSimulator.Reading::time))
                        .toList()) {
                    BurnInChannel c = channels.computeIfAbsent(reading.channel(), k -> BurnInChannel.withDefaultWindows());
                    if (c.accepts(reading.time().toEpochMilli())) {
                        c.add(reading.time().toEpochMilli(), reading.powerDbm(), reading.biasCurrentMa());
                        accepted++;
                    }
                    t.events.put(runId + "|READ|" + reading.channel() + "|" + reading.time().toEpochMilli(), runId);
                }
                Outcome outcome = BurnInRules.evaluate(burnInLimits, channels, u.aborted(), u.readings().size(), accepted).outcome();
                t.runs.put(runId, new Run(runId, Operation.BURNIN, u.serial(), u.lot(), rack.getKey(), u.start().toEpochMilli(), outcome,
                        u.readings().size() + 2, u.readings().size()));
                t.events.put(runId + "|START", runId);
                t.events.put(runId + "|END", runId);
            }
        }
        Map<String, List<Run>> byLot = t.runs.values().stream().collect(Collectors.groupingBy(r -> r.operation() + "|" + r.lot()));
        byLot.forEach((key, list) -> t.lotYield.put(key,
                YieldFigures.of(list.stream().map(r -> new UnitRun(r.serial(), java.time.Instant.ofEpochMilli(r.startMs()), r.outcome())).toList())));
        finalLoss.forEach((key, list) -> {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] v : list) {
                sum += v[0];
                min = Math.min(min, v[0]);
                max = Math.max(max, v[0]);
            }
            t.stationStats.put(key, new ChannelStats(list.size(), sum / list.size(), min, max));
        });
        return t;
    }

    /** A value as the tester file holds it (three decimals), i.e. as the platform reads it. */
    static double asWritten(double value) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3f", value));
    }

    /** Events written. */
    public int eventCount() {
        return events.size();
    }

    /** Runs written. */
    public int runCount() {
        return runs.size();
    }
}
