package com.cpo.platform.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.domain.PlantCalendar;
import com.cpo.domain.Rty;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.domain.stats.Capability;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.Percentiles;
import com.cpo.events.Operation;
import com.cpo.platform.PlatformConfig;
import com.cpo.platform.persistence.ReportRepository.LossValue;
import com.cpo.platform.persistence.ReportRepository;
import com.cpo.platform.persistence.RunFact;
import com.cpo.platform.report.YieldReport.GroupRow;
import com.cpo.platform.report.YieldReport.LotRow;
import com.cpo.platform.report.YieldReport.StatsRow;

/**
 * Yield and coupling-loss figures from the stored rows, for the API and the workbook. Every yield figure
 * comes from {@link YieldFigures#of} and every statistic from {@link DistributionSummary}, so the
 * definitions are the domain's, not this class's.
 *
 * <p>Which units count: per operation, the units whose first run of that operation started in the time
 * range; all their runs count, even later ones outside the range. With a station, only that station's
 * runs count. Coupling-loss statistics are over the ALIGN runs that started in the range.
 */
@ApplicationScoped
public class YieldService {

    private static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");

    private final ReportRepository reports;
    private final LimitService limits;
    private final PlatformConfig config;
    private final PlantCalendar calendar;

    YieldService(ReportRepository reports, LimitService limits, PlatformConfig config, PlantCalendar calendar) {
        this.reports = reports;
        this.limits = limits;
        this.config = config;
        this.calendar = calendar;
    }

    /**
     * The operation a request is about: the one named, or {@code cpo.platform.reports.default-operation}.
     *
     * @throws InvalidRequestException when the name is not an operation
     */
    public String operation(String requested) {
        return Operations.parse(requested == null ? config.reports().defaultOperation() : requested).name();
    }

    /** Yield of every lot over all runs of {@code operation}, by product then lot. */
    @Transactional
    public List<LotRow> lots(ReportFilter filter) {
        return lots(scoped(filter, reports.runFacts(filter.product(), filter.lot())).get(filter.operation()));
    }

    /** How yield can be grouped. */
    public enum GroupBy {
        /** by lot */
        LOT,
        /** each station's own runs: the figure to compare stations by (test yield) */
        STATION,
        /** units by the station of their first run, each once, with all its runs */
        FIRST_STATION,
        /** units by the plant shift of their first run */
        SHIFT,
        /** units by the plant day of their first run */
        DAY,
        /** by product */
        PRODUCT
    }

    /**
     * Yield figures for the API.
     *
     * @param operations yield of each operation, all units in the filter
     * @param rty product of the operations' FPYs, the domain's policy ({@link Rty}: operations without units left out, named)
     * @param groups yield of the filter's operation per group
     */
    public record Figures(Map<String, YieldFigures> operations, Rty rty, Map<String, YieldFigures> groups) {
    }

    @Transactional
    public Figures figures(ReportFilter filter, GroupBy groupBy) {
        Map<String, List<RunFact>> scoped = scoped(filter, reports.runFacts(filter.product(), filter.lot()));
        Map<String, YieldFigures> operations = new LinkedHashMap<>();
        scoped.forEach((op, runs) -> operations.put(op, YieldFigures.of(unitRuns(runs))));
        List<RunFact> runs = scoped.get(filter.operation());
        List<GroupRow> groups = switch (groupBy) {
            case LOT -> lots(runs).stream().map(l -> new GroupRow(l.product() + "/" + l.lot(), l.figures())).toList();
            case STATION -> byRunKey(runs, RunFact::station);
            case FIRST_STATION -> byFirstRun(runs, RunFact::station);
            case SHIFT -> byFirstRun(runs, r -> calendar.shiftOf(r.runStartTime()));
            case DAY -> byFirstRun(runs, r -> calendar.dayOf(r.runStartTime()).toString());
            case PRODUCT -> byRunKey(runs, RunFact::product);
        };
        Map<String, YieldFigures> byGroup = new LinkedHashMap<>();
        groups.forEach(g -> byGroup.put(g.key(), g.figures()));
        return new Figures(operations, Rty.of(operations), byGroup);
    }

    /** Coupling-loss statistics per product, step and channel; {@code step} null = every step. */
    @Transactional
    public List<StatsRow> couplingLoss(ReportFilter filter, String step) {
        if (step != null && !STEPS.contains(step)) {
            throw new InvalidRequestException("step", "Unknown step '" + step + "': expected one of " + String.join(", ", STEPS) + ".");
        }
        Map<StatsKey, Summary> summaries = summaries(filter);
        List<LimitSet> released = limits.released();
        Instant now = Instant.now();
        List<StatsRow> rows = new ArrayList<>();
        summaries.forEach((key, s) -> {
            if (step == null || step.equals(key.step())) {
                rows.add(statsRow(key, s, couplingLossLimit(released, key.product(), key.channel(), now)));
            }
        });
        return rows;
    }

    Map<String, List<RunFact>> scoped(ReportFilter filter, List<RunFact> all) {
        Map<String, List<RunFact>> byOperation = new LinkedHashMap<>();
        for (Operation op : Operation.values()) {
            byOperation.put(op.name(), new ArrayList<>());
        }
        for (RunFact run : all) {
            if (filter.station() == null || filter.station().equals(run.station())) {
                byOperation.computeIfAbsent(run.operation(), k -> new ArrayList<>()).add(run);
            }
        }
        byOperation.replaceAll((op, runs) -> {
            Map<String, Instant> firstStart = new HashMap<>();
            for (RunFact r : runs) {
                firstStart.merge(unitIdentity(r), r.runStartTime(), (a, b) -> a.isBefore(b) ? a : b);
            }
            return runs.stream().filter(r -> filter.inRange(firstStart.get(unitIdentity(r)))).toList();
        });
        return byOperation;
    }

    static List<LotRow> lots(List<RunFact> runs) {
        Map<List<String>, List<RunFact>> byLot = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        runs.forEach(r -> byLot.computeIfAbsent(List.of(r.product(), r.lot()), k -> new ArrayList<>()).add(r));
        List<LotRow> rows = new ArrayList<>();
        byLot.forEach((key, lotRuns) -> rows.add(new LotRow(key.get(0), key.get(1), YieldFigures.of(unitRuns(lotRuns)))));
        return rows;
    }

    /** Groups runs by a property of each run (station, product). */
    static List<GroupRow> byRunKey(List<RunFact> runs, Function<RunFact, String> key) {
        Map<String, List<RunFact>> groups = new TreeMap<>();
        runs.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        List<GroupRow> rows = new ArrayList<>();
        groups.forEach((k, groupRuns) -> rows.add(new GroupRow(k, YieldFigures.of(unitRuns(groupRuns)))));
        return rows;
    }

    /** Groups units, with all their runs, by a property of their first run (its station, plant shift or day). */
    static List<GroupRow> byFirstRun(List<RunFact> runs, Function<RunFact, String> key) {
        Map<String, RunFact> first = new HashMap<>();
        for (RunFact r : runs) {
            first.merge(unitIdentity(r), r, (a, b) -> a.runStartTime().isAfter(b.runStartTime()) ? b : a);
        }
        Map<String, List<RunFact>> groups = new TreeMap<>();
        runs.forEach(r -> groups.computeIfAbsent(key.apply(first.get(unitIdentity(r))), k -> new ArrayList<>()).add(r));
        List<GroupRow> rows = new ArrayList<>();
        groups.forEach((k, groupRuns) -> rows.add(new GroupRow(k, YieldFigures.of(unitRuns(groupRuns)))));
        return rows;
    }

    record StatsKey(String product, String step, int channel) {
    }

    /**
     * Every value of a key: moments and histogram from the domain's {@link DistributionSummary}, percentiles exact from
     * the values themselves ({@link Percentiles}): the same data always gives the same answer.
     */
    record Summary(DistributionSummary moments, double[] values, int size) {

        Summary add(double v) {
            moments.add(v);
            double[] grown = size == values.length ? Arrays.copyOf(values, Math.max(16, values.length * 2)) : values;
            grown[size] = v;
            return new Summary(moments, grown, size + 1);
        }

        Percentiles percentiles() {
            return Percentiles.of(Arrays.copyOf(values, size));
        }
    }

    Map<StatsKey, Summary> summaries(ReportFilter filter) {
        Map<StatsKey, Summary> summaries = new TreeMap<>(Comparator.comparing(StatsKey::product)
                .thenComparing(k -> STEPS.indexOf(k.step())).thenComparing(StatsKey::channel));
        try (Stream<LossValue> values = reports.couplingLoss(filter.product(), filter.lot(), filter.station(),
                filter.from(), filter.to())) {
            values.forEach(v -> summaries.merge(new StatsKey(v.product(), v.step(), v.channel()),
                    new Summary(DistributionSummary.forCouplingLossDb(), new double[16], 0).add(v.couplingLossDb()),
                    (old, one) -> old.add(v.couplingLossDb())));
        }
        return summaries;
    }

    static StatsRow statsRow(StatsKey key, Summary summary, Limit limit) {
        Double lower = limit == null ? null : limit.lower();
        Double upper = limit == null ? null : limit.upper();
        DistributionSummary s = summary.moments();
        Capability capability = s.capability(lower, upper);
        Percentiles p = summary.percentiles();
        return new StatsRow(key.product(), key.step(), key.channel(), s.count(), s.mean(), s.standardDeviation(), s.min(),
                s.max(), p.at(0.01), p.at(0.5), p.at(0.9), p.at(0.99), lower, upper, capability.cpk(), capability.flagged());
    }

    /**
     * The coupling-loss limit of a product's channel in the released ALIGN limit set in force at {@code at}:
     * the channel's own limit if there is one, else the all-channel one; null when none is known.
     */
    static Limit couplingLossLimit(List<LimitSet> released, String product, int channel, Instant at) {
        String id = product + "/" + Operation.ALIGN.name();
        LimitSet inForce = LimitSet.inForceAt(released.stream().filter(s -> s.id().equals(id)).toList(), at);
        if (inForce == null) {
            return null;
        }
        return UnitQueryService.limitFor(inForce, Parameters.COUPLING_LOSS, channel).orElse(null);
    }

    static List<UnitRun> unitRuns(List<RunFact> runs) {
        return runs.stream().map(r -> new UnitRun(unitIdentity(r), r.runStartTime(), r.outcome())).toList();
    }

    /**
     * A unit is (product, serial). The separator is a control character, so no pair of real product and
     * serial strings can collide.
     */
    static String unitIdentity(RunFact run) {
        return run.product() + '\u001F' + run.serial();
    }
}
