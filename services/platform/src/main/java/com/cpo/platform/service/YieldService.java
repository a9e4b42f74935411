package com.cpo.platform.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.domain.PlantCalendar;
import com.cpo.domain.Rty;
import com.cpo.domain.YieldFigures;
import com.cpo.domain.stats.Capability;
import com.cpo.events.Operation;
import com.cpo.platform.PlatformConfig;
import com.cpo.platform.persistence.ReportRepository.LossStatistics;
import com.cpo.platform.persistence.ReportRepository;
import com.cpo.platform.persistence.YieldRepository.Bucket;
import com.cpo.platform.persistence.YieldRepository.Scope;
import com.cpo.platform.persistence.YieldRepository.Sum;
import com.cpo.platform.persistence.YieldRepository;
import com.cpo.platform.report.YieldReport.GroupRow;
import com.cpo.platform.report.YieldReport.LotRow;
import com.cpo.platform.report.YieldReport.StatsRow;

/**
 * Yield and coupling-loss figures for the API and the workbook, computed where the data is: yield is a sum over one
 * row per unit ({@link YieldRepository}, each row the domain's {@link com.cpo.domain.UnitYield}), coupling-loss
 * statistics are SQL aggregates ({@link ReportRepository}); capability is the domain's {@link Capability}, plant hours,
 * shifts, days, weeks and months the domain's {@link PlantCalendar}.
 *
 * <p>Which units count: per operation, the units whose first run of that operation started in the time range; all
 * their runs count, even later ones outside the range. With a station, only that station's runs count. Coupling-loss
 * statistics are over the judged (PASS or FAIL) ALIGN runs that started in the range.
 */
@ApplicationScoped
public class YieldService {

    private static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");

    private final YieldRepository yields;
    private final ReportRepository reports;
    private final LimitService limits;
    private final PlatformConfig config;
    private final PlantCalendar calendar;

    YieldService(YieldRepository yields, ReportRepository reports, LimitService limits, PlatformConfig config, PlantCalendar calendar) {
        this.yields = yields;
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

    /** How yield can be grouped. Times are the plant's ({@code cpo.plant.zone}, {@code cpo.plant.shifts}). */
    public enum GroupBy {
        /** by lot */
        LOT,
        /** each station's own runs: the figure to compare stations by (test yield) */
        STATION,
        /** units by the station of their first run, each once, with all its runs */
        FIRST_STATION,
        /** units by the plant shift of their first run */
        SHIFT,
        /** units by the plant hour of their first run (its start, ISO-8601 UTC) */
        HOUR,
        /** units by the plant day of their first run */
        DAY,
        /** units by the plant's ISO week (e.g. 2026-W48) of their first run */
        WEEK,
        /** units by the plant month (e.g. 2026-11) of their first run */
        MONTH,
        /** by product */
        PRODUCT
    }

    /**
     * Yield figures for the API.
     *
     * @param operations yield of each operation, all units in the filter
     * @param rty product of the operations' FPYs, the domain's policy ({@link Rty}: operations without units left out, named)
     * @param groups yield of the filter's operation per group, in key order
     */
    public record Figures(Map<String, YieldFigures> operations, Rty rty, Map<String, YieldFigures> groups) {
    }

    @Transactional
    public Figures figures(ReportFilter filter, GroupBy groupBy) {
        Map<String, YieldFigures> operations = operations(filter);
        Map<String, YieldFigures> groups = new LinkedHashMap<>();
        if (groupBy == GroupBy.LOT) {
            lots(filter).forEach(l -> groups.put(l.product() + "/" + l.lot(), l.figures()));
        } else {
            groups(filter, groupBy).forEach(g -> groups.put(g.key(), g.figures()));
        }
        return new Figures(operations, Rty.of(operations), groups);
    }

    /** Yield of each operation (every operation present, possibly with no units) over the filter's units. */
    @Transactional
    public Map<String, YieldFigures> operations(ReportFilter filter) {
        Map<String, YieldFigures> operations = new LinkedHashMap<>();
        for (Operation op : Operation.values()) {
            operations.put(op.name(), YieldFigures.NONE);
        }
        for (Sum s : yields.sums(scope(filter, null), Bucket.OPERATION, zone())) {
            operations.put(s.key(), s.figures());
        }
        return operations;
    }

    /** Yield of every lot of the filter's operation, by product then lot. */
    @Transactional
    public List<LotRow> lots(ReportFilter filter) {
        return yields.sums(scope(filter, filter.operation()), Bucket.LOT, zone()).stream()
                .map(s -> new LotRow(s.key(), s.key2(), s.figures()))
                .sorted(Comparator.comparing(LotRow::product).thenComparing(LotRow::lot))
                .toList();
    }

    /** Yield of the filter's operation per group (not by lot: see {@link #lots}), in key order. */
    @Transactional
    public List<GroupRow> groups(ReportFilter filter, GroupBy groupBy) {
        Scope scope = scope(filter, filter.operation());
        return switch (groupBy) {
            case LOT -> lots(filter).stream().map(l -> new GroupRow(l.product() + "/" + l.lot(), l.figures())).toList();
            case STATION -> grouped(scope, Bucket.STATION, UnaryOperator.identity());
            case FIRST_STATION -> grouped(scope, Bucket.FIRST_STATION, UnaryOperator.identity());
            case PRODUCT -> grouped(scope, Bucket.PRODUCT, UnaryOperator.identity());
            case SHIFT -> grouped(scope, Bucket.TIME_OF_DAY, t -> calendar.shiftOf(LocalTime.parse(t)));
            case HOUR -> grouped(scope, Bucket.HOUR, h -> calendar.hourStart(Instant.parse(h)).toString());
            case DAY -> grouped(scope, Bucket.DAY, d -> LocalDate.parse(d).toString());
            case WEEK -> grouped(scope, Bucket.DAY, d -> PlantCalendar.weekOf(LocalDate.parse(d)));
            case MONTH -> grouped(scope, Bucket.DAY, d -> YearMonth.from(LocalDate.parse(d)).toString());
        };
    }

    /** Sums the database's buckets into groups: a bucket belongs to exactly one group, so the sum is exact. */
    private List<GroupRow> grouped(Scope scope, Bucket bucket, UnaryOperator<String> group) {
        Map<String, YieldFigures> groups = new TreeMap<>();
        for (Sum s : yields.sums(scope, bucket, zone())) {
            groups.merge(group.apply(s.key()), s.figures(), YieldFigures::plus);
        }
        List<GroupRow> rows = new ArrayList<>();
        groups.forEach((k, f) -> rows.add(new GroupRow(k, f)));
        return rows;
    }

    private String zone() {
        return calendar.zone().getId();
    }

    static Scope scope(ReportFilter filter, String operation) {
        return new Scope(operation, filter.product(), filter.lot(), filter.station(), filter.from(), filter.to());
    }

    static ReportRepository.RunScope runScope(ReportFilter filter) {
        return new ReportRepository.RunScope(filter.operation(), filter.product(), filter.lot(), filter.station(), filter.from(),
                filter.to());
    }

    /** Coupling-loss statistics per product, step and channel; {@code step} null = every step. */
    @Transactional
    public List<StatsRow> couplingLoss(ReportFilter filter, String step) {
        if (step != null && !STEPS.contains(step)) {
            throw new InvalidRequestException("step", "Unknown step '" + step + "': expected one of " + String.join(", ", STEPS) + ".");
        }
        return statistics(filter).stream().filter(s -> step == null || step.equals(s.step())).toList();
    }

    /** Every step's coupling-loss statistics, by product, step (in process order) and channel, against the limits now in force. */
    List<StatsRow> statistics(ReportFilter filter) {
        List<LimitSet> released = limits.released();
        Instant now = Instant.now();
        return reports.couplingLossStatistics(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to()).stream()
                .sorted(Comparator.comparing(LossStatistics::product).thenComparing(s -> STEPS.indexOf(s.step()))
                        .thenComparingInt(LossStatistics::channel))
                .map(s -> statsRow(s, couplingLossLimit(released, s.product(), s.channel(), now)))
                .toList();
    }

    static StatsRow statsRow(LossStatistics s, Limit limit) {
        Double lower = limit == null ? null : limit.lower();
        Double upper = limit == null ? null : limit.upper();
        Capability capability = Capability.of(s.mean(), s.sigma(), lower, upper);
        return new StatsRow(s.product(), s.step(), s.channel(), s.n(), s.mean(), s.sigma(), s.min(), s.max(), s.p1(), s.p50(),
                s.p90(), s.p99(), lower, upper, capability.cpk(), capability.flagged());
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
}
