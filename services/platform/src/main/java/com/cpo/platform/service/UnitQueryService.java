package com.cpo.platform.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.platform.persistence.FailedCheckEntity;
import com.cpo.platform.persistence.MeasurementRepository.AlignmentValue;
import com.cpo.platform.persistence.MeasurementRepository.BurnInSummary;
import com.cpo.platform.persistence.MeasurementRepository.RunRecord;
import com.cpo.platform.persistence.MeasurementRepository;
import com.cpo.platform.persistence.UnitEntity;
import com.cpo.platform.persistence.VerdictEntity;
import com.cpo.platform.persistence.VerdictRepository;

/** Answers questions about one unit. */
@ApplicationScoped
public class UnitQueryService {

    private final VerdictRepository verdicts;
    private final MeasurementRepository measurements;
    private final LimitService limits;
    private final DpatService dpat;

    UnitQueryService(VerdictRepository verdicts, MeasurementRepository measurements, LimitService limits, DpatService dpat) {
        this.dpat = dpat;
        this.verdicts = verdicts;
        this.measurements = measurements;
        this.limits = limits;
    }

    /**
     * The unit with this serial and all its runs, with measured values against their limits.
     *
     * @throws UnitNotFoundException when no event names the serial
     */
    @Transactional
    public UnitView unit(String serial) {
        return unit(serial, true);
    }

    /** As {@link #unit(String)}; {@code withDpat} false leaves the DPAT screen out (it reads the unit's whole lot). */
    @Transactional
    public UnitView unit(String serial, boolean withDpat) {
        UnitEntity unit = verdicts.findUnit(serial).orElseThrow(() -> new UnitNotFoundException(serial));
        Map<String, RunRecord> started = measurements.runsOfSerial(serial).stream()
                .collect(Collectors.toMap(RunRecord::runId, r -> r, (a, b) -> a));
        Map<String, List<AlignmentValue>> alignment = measurements.alignmentOfSerial(serial).stream()
                .collect(Collectors.groupingBy(AlignmentValue::runId));
        Map<String, List<BurnInSummary>> burnIn = measurements.burnInOfSerial(serial).stream()
                .collect(Collectors.groupingBy(BurnInSummary::runId));
        List<LimitSet> released = limits.released();

        List<UnitView.Run> judged = new ArrayList<>();
        Set<String> judgedIds = new java.util.HashSet<>();
        for (VerdictEntity v : verdicts.runsOf(unit)) {
            judgedIds.add(v.getRunId());
            RunRecord r = started.get(v.getRunId());
            LimitSet set = limitSet(released, v.getLimitSetId(), v.getLimitSetVersion());
            judged.add(new UnitView.Run(v.getRunId(), v.getOperation(), v.getAttempt(), v.getStation(), v.getRunStartTime(),
                    v.getOutcome().name(), v.getLimitSetId(), v.getLimitSetVersion(), v.getReason(),
                    v.getFailedChecks().stream().map(UnitQueryService::check).toList(),
                    r == null ? null : r.operator(), r == null ? null : r.completedAt(),
                    measured(alignment.getOrDefault(v.getRunId(), List.of()), set),
                    burnIn(burnIn.getOrDefault(v.getRunId(), List.of()))));
        }
        List<UnitView.Run> inProgress = started.values().stream()
                .filter(r -> !judgedIds.contains(r.runId()))
                .sorted(Comparator.comparing(RunRecord::startedAt).thenComparing(RunRecord::attempt))
                .map(r -> {
                    LimitSet set = LimitSet.inForceAt(released.stream().filter(s -> s.id().equals(r.limitSetId())).toList(),
                            r.startedAt());
                    return new UnitView.Run(r.runId(), r.operation(), r.attempt(), r.station(), r.startedAt(), null,
                            r.limitSetId(), set == null ? null : set.version(), null, List.of(), r.operator(),
                            r.completedAt(), measured(alignment.getOrDefault(r.runId(), List.of()), set),
                            burnIn(burnIn.getOrDefault(r.runId(), List.of())));
                })
                .toList();
        return new UnitView(unit.getSerial(), unit.getProduct(), unit.getLot(),
                new UnitView.Genealogy(unit.getPicWafer(), unit.getPicDie(), unit.getFiberArraySerial()), judged, inProgress,
                withDpat ? dpatOf(unit) : List.of());
    }

    /** The unit's DPAT screen; a problem computing it leaves the history whole, without it (logged). */
    private List<DpatService.RunScreen> dpatOf(UnitEntity unit) {
        try {
            return dpat.unit(unit.getProduct(), unit.getLot(), unit.getSerial());
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(UnitQueryService.class).warnf("DPAT screen of %s left out: %s", unit.getSerial(), e.getMessage());
            return List.of();
        }
    }

    /** The released limit set of this id and version among {@code released}, or null when there is none (or it is not known here). */
    static LimitSet limitSet(List<LimitSet> released, String id, Integer version) {
        return id == null || version == null ? null : released.stream()
                .filter(s -> s.id().equals(id) && s.version() == version).findFirst().orElse(null);
    }

    /** Every released limit set, once per request that needs several. */
    List<LimitSet> released() {
        return limits.released();
    }

    /**
     * The power-vs-position scans of the unit's alignment steps, where its testers wrote them.
     *
     * @throws UnitNotFoundException when no event names the serial
     */
    @Transactional
    public List<MeasurementRepository.Scan> scans(String serial) {
        verdicts.findUnit(serial).orElseThrow(() -> new UnitNotFoundException(serial));
        return measurements.scansOfSerial(serial);
    }

    /** A unit without its runs, for lists. */
    public record UnitSummary(String serial, String product, String lot) {
    }

    /** A page of units of product and lot (null or blank = any), by serial. */
    @Transactional
    public Page<UnitSummary> units(String product, String lot, int page, int size) {
        String p = product == null || product.isBlank() ? null : product.strip();
        String l = lot == null || lot.isBlank() ? null : lot.strip();
        List<UnitSummary> items = verdicts.units(p, l, page * size, size).stream()
                .map(u -> new UnitSummary(u.getSerial(), u.getProduct(), u.getLot())).toList();
        return new Page<>(items, page, size, verdicts.countUnits(p, l));
    }

    private static List<UnitView.Measurement> measured(List<AlignmentValue> values, LimitSet set) {
        List<UnitView.Measurement> out = new ArrayList<>();
        for (AlignmentValue a : values) {
            out.add(measurement(Parameters.COUPLING_LOSS, a.step(), a.channel(), a.couplingLossDb(), set));
            if (a.pdlDb() != null) {
                out.add(measurement(Parameters.PDL, a.step(), a.channel(), a.pdlDb(), set));
            }
        }
        return out;
    }

    private static UnitView.Measurement measurement(String parameter, String step, int channel, double value, LimitSet set) {
        Optional<Limit> limit = limitFor(set, parameter, channel);
        return new UnitView.Measurement(parameter, step, channel, value, limit.map(Limit::unitOfMeasure).orElse("dB"),
                limit.map(Limit::lower).orElse(null), limit.map(Limit::upper).orElse(null),
                limit.map(l -> l.passes(value)).orElse(null));
    }

    /** The limit that binds the channel ({@link LimitSet#binding}), empty without a limit set. */
    static Optional<Limit> limitFor(LimitSet set, String parameter, int channel) {
        return set == null ? Optional.empty() : set.binding(parameter, channel);
    }

    private static List<UnitView.BurnInChannel> burnIn(List<BurnInSummary> summaries) {
        return summaries.stream().map(b -> new UnitView.BurnInChannel(b.slot(), b.channel(), b.readings(),
                b.firstReadingAt(), b.lastReadingAt(), b.firstPowerDbm(), b.lastPowerDbm(), b.minPowerDbm(),
                b.maxPowerDbm(), b.powerDriftDb(), b.firstBiasCurrentMa(), b.lastBiasCurrentMa(), b.biasDriftPct(),
                b.maxCaseTemperatureC())).toList();
    }

    private static UnitView.FailedCheck check(FailedCheckEntity c) {
        return new UnitView.FailedCheck(c.getParameter(), c.getStep(), c.getChannel(), c.getValue(),
                c.getLowerLimit(), c.getUpperLimit(), c.getUnitOfMeasure());
    }
}
