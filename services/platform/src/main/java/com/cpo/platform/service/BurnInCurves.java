package com.cpo.platform.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.BurnInChannel;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.platform.persistence.MeasurementRepository;
import com.cpo.platform.persistence.MeasurementRepository.Reading;

/**
 * A unit's burn-in drift curves, per run and channel, from its stored readings: each reading's power drift (dB) and bias
 * drift (%) from the channel's baseline, with the limits that bind the channel. Baseline, judged drift and sudden drop are
 * the domain's ({@link BurnInChannel}, the same the verdict and the alarms use), replayed over the stored readings.
 */
@ApplicationScoped
public class BurnInCurves {

    /** At most this many points per channel by default; more readings are averaged in consecutive buckets. */
    public static final int DEFAULT_MAX_POINTS = 1000;

    /**
     * One run's curves.
     *
     * @param outcome the verdict, null while the run is in progress
     * @param limitSetVersion the limits' version drawn (the one the run was judged by, or in force at its start)
     */
    public record Run(String runId, String station, int slot, int attempt, String outcome, String limitSetId, Integer limitSetVersion,
            List<Channel> channels) {
    }

    /**
     * One channel: the curve as columns (same length), its baseline and judged figures, and its binding limits (null when
     * none binds).
     *
     * @param at reading times (the mean time of a bucket when averaged)
     * @param hours hours since the run's first reading
     * @param powerDriftDb power minus the baseline, dB (null at every point until the stabilisation window is over)
     * @param biasDriftPct (bias − baseline) / baseline, % (likewise)
     * @param readingsPerPoint 1 when every reading is a point; n when n consecutive readings were averaged into one
     * @param baselinePowerDbm null until the stabilisation window (the first hour) is over
     * @param powerDriftDb judged: final-window mean minus baseline, dB
     */
    public record Channel(int channel, long readings, int readingsPerPoint, List<Instant> at, List<Double> hours, List<Double> powerDbm,
            List<Double> powerDriftDb, List<Double> biasDriftPct, Double baselinePowerDbm, Double baselineBiasMa,
            Double judgedPowerDriftDb, Double judgedBiasDriftPct, double maxDropDb, Double powerDriftLowerDb, Double powerDriftUpperDb,
            Double biasDriftLowerPct, Double biasDriftUpperPct, Double suddenDropUpperDb) {
    }

    private final MeasurementRepository measurements;
    private final UnitQueryService units;

    BurnInCurves(MeasurementRepository measurements, UnitQueryService units) {
        this.measurements = measurements;
        this.units = units;
    }

    /**
     * The curves of every burn-in run of the unit with readings stored, in the unit's run order.
     *
     * @throws UnitNotFoundException when no event names the serial
     */
    @Transactional
    public List<Run> of(String serial, int maxPoints) {
        UnitView unit = units.unit(serial, false);
        Map<String, Map<Integer, List<Reading>>> byRun = new LinkedHashMap<>();
        for (Reading r : measurements.readingsOfSerial(serial)) {
            byRun.computeIfAbsent(r.runId(), k -> new LinkedHashMap<>()).computeIfAbsent(r.channel(), k -> new ArrayList<>()).add(r);
        }
        List<Run> out = new ArrayList<>();
        List<LimitSet> released = units.released();
        List<UnitView.Run> runs = new ArrayList<>(unit.runs());
        runs.addAll(unit.runsInProgress());
        for (UnitView.Run run : runs) {
            Map<Integer, List<Reading>> channels = byRun.get(run.runId());
            if (channels == null) {
                continue;
            }
            LimitSet set = UnitQueryService.limitSet(released, run.limitSetId(), run.limitSetVersion());
            // hours from the run's first reading, the same origin for every channel
            long start = channels.values().stream().mapToLong(r -> r.get(0).at().toEpochMilli()).min().orElseThrow();
            List<Channel> curves = channels.entrySet().stream().map(e -> curve(e.getKey(), e.getValue(), set, maxPoints, start)).toList();
            Reading first = channels.values().iterator().next().get(0);
            out.add(new Run(run.runId(), run.station(), first.slot(), run.attempt(), run.outcome(), run.limitSetId(),
                    run.limitSetVersion(), curves));
        }
        return out;
    }

    static Channel curve(int channel, List<Reading> readings, LimitSet set, int maxPoints, long start) {
        BurnInChannel tracker = BurnInChannel.withDefaultWindows();
        for (Reading r : readings) {
            tracker.add(r.at().toEpochMilli(), r.powerDbm(), r.biasCurrentMa());
        }
        // the stabilisation window over: before it, the baseline is partial and nothing is judged
        boolean baseline = tracker.baselineEstablished();
        double basePower = tracker.baselinePowerDbm();
        double baseBias = tracker.baselineBiasMa();
        int per = Math.max(1, (readings.size() + maxPoints - 1) / Math.max(1, maxPoints));
        List<Instant> at = new ArrayList<>();
        List<Double> hours = new ArrayList<>();
        List<Double> power = new ArrayList<>();
        List<Double> drift = new ArrayList<>();
        List<Double> bias = new ArrayList<>();
        for (int i = 0; i < readings.size(); i += per) {
            List<Reading> bucket = readings.subList(i, Math.min(readings.size(), i + per));
            double t = bucket.stream().mapToLong(r -> r.at().toEpochMilli()).average().orElseThrow();
            double p = bucket.stream().mapToDouble(Reading::powerDbm).average().orElseThrow();
            double b = bucket.stream().mapToDouble(Reading::biasCurrentMa).average().orElseThrow();
            at.add(Instant.ofEpochMilli(Math.round(t)));
            hours.add((t - start) / 3_600_000.0);
            power.add(p);
            drift.add(baseline ? p - basePower : null);
            bias.add(baseline ? 100.0 * (b - baseBias) / baseBias : null);
        }
        Optional<Limit> powerLimit = bind(set, Parameters.POWER_DRIFT, channel);
        Optional<Limit> biasLimit = bind(set, Parameters.BIAS_DRIFT, channel);
        Optional<Limit> dropLimit = bind(set, Parameters.SUDDEN_DROP, channel);
        return new Channel(channel, readings.size(), per, at, hours, power, drift, bias, baseline ? basePower : null,
                baseline ? baseBias : null, baseline ? tracker.powerDriftDb() : null, baseline ? tracker.biasDriftPct() : null,
                tracker.maxDropDb(), powerLimit.map(Limit::lower).orElse(null), powerLimit.map(Limit::upper).orElse(null),
                biasLimit.map(Limit::lower).orElse(null), biasLimit.map(Limit::upper).orElse(null),
                dropLimit.map(Limit::upper).orElse(null));
    }

    private static Optional<Limit> bind(LimitSet set, String parameter, int channel) {
        return UnitQueryService.limitFor(set, parameter, channel);
    }
}
