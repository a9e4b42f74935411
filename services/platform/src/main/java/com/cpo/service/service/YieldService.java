package com.cpo.service.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Outcome;
import com.cpo.domain.Parameters;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.domain.stats.Capability;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.FixedBinHistogram;
import com.cpo.events.Operation;
import com.cpo.service.PlatformConfig;
import com.cpo.service.persistence.FailedCheckEntity;
import com.cpo.service.persistence.ReportRepository;
import com.cpo.service.persistence.ReportRepository.LossValue;
import com.cpo.service.persistence.RunFact;
import com.cpo.service.persistence.UnitEntity;
import com.cpo.service.persistence.VerdictEntity;
import com.cpo.service.report.YieldReport;
import com.cpo.service.report.YieldReport.FailingRow;
import com.cpo.service.report.YieldReport.GroupRow;
import com.cpo.service.report.YieldReport.HistogramRow;
import com.cpo.service.report.YieldReport.LotRow;
import com.cpo.service.report.YieldReport.OperationRow;
import com.cpo.service.report.YieldReport.ParetoRow;
import com.cpo.service.report.YieldReport.RawRow;
import com.cpo.service.report.YieldReport.StatsRow;
import com.cpo.service.report.YieldWorkbook;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

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

    /** The alignment step whose histogram the workbook charts: the value the unit ships with. */
    public static final String HISTOGRAM_STEP = "POST_THERMAL";
    private static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");

    private final ReportRepository reports;
    private final LimitService limits;
    private final PlatformConfig config;
    private final Shifts shifts;

    YieldService(ReportRepository reports, LimitService limits, PlatformConfig config) {
        this.reports = reports;
        this.limits = limits;
        this.config = config;
        this.shifts = Shifts.parse(config.reports().shifts(), config.reports().shiftZone());
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
        LOT, STATION, SHIFT, DAY, PRODUCT
    }

    /**
     * Yield figures for the API.
     *
     * @param operations yield of each operation, all units in the filter
     * @param rty product of the operations' FPYs (operations without units left out); NaN when none has units
     * @param groups yield of the filter's operation per group
     */
    public record Figures(Map<String, YieldFigures> operations, double rty, Map<String, YieldFigures> groups) {
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
            case SHIFT -> byFirstRun(runs, start -> shifts.of(start));
            case DAY -> byFirstRun(runs, start -> start.atZone(ZoneOffset.UTC).toLocalDate().toString());
            case PRODUCT -> byRunKey(runs, RunFact::product);
        };
        Map<String, YieldFigures> byGroup = new LinkedHashMap<>();
        groups.forEach(g -> byGroup.put(g.key(), g.figures()));
        return new Figures(operations, rty(operations.values()), byGroup);
    }

    /** Coupling-loss statistics per product, step and channel; {@code step} null = every step. */
    @Transactional
    public List<StatsRow> couplingLoss(ReportFilter filter, String step) {
        if (step != null && !STEPS.contains(step)) {
            throw new InvalidRequestException("step", "Unknown step '" + step + "': expected one of " + String.join(", ", STEPS) + ".");
        }
        Map<StatsKey, DistributionSummary> summaries = summaries(filter);
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

    /** Raw-data rows the workbook for this filter would have. */
    @Transactional
    public long rawRowCount(ReportFilter filter) {
        return reports.rawCount(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to());
    }

    /** Everything the yield workbook shows except the raw data, read in one transaction. */
    @Transactional
    public YieldReport report(ReportFilter filter) {
        Instant now = Instant.now();
        Map<String, List<RunFact>> scoped = scoped(filter, reports.runFacts(filter.product(), filter.lot()));
        List<OperationRow> operations = new ArrayList<>();
        scoped.forEach((op, runs) -> operations.add(new OperationRow(op, YieldFigures.of(unitRuns(runs)))));
        List<RunFact> runs = scoped.get(filter.operation());
        Set<String> runIds = runs.stream().map(RunFact::runId).collect(Collectors.toSet());
        List<VerdictEntity> notPassed = reports.notPassedRuns(filter.operation(), filter.product(), filter.lot()).stream()
                .filter(v -> runIds.contains(v.getRunId()))
                .toList();
        List<FailingRow> failing = new ArrayList<>();
        notPassed.forEach(v -> failing.addAll(failingRows(v)));

        Map<StatsKey, DistributionSummary> summaries = summaries(filter);
        List<LimitSet> released = limits.released();
        List<StatsRow> stats = new ArrayList<>();
        FixedBinHistogram histogram = DistributionSummary.forCouplingLossDb().histogram();
        summaries.forEach((key, s) -> {
            stats.add(statsRow(key, s, couplingLossLimit(released, key.product(), key.channel(), now)));
            if (HISTOGRAM_STEP.equals(key.step())) {
                histogram.merge(s.histogram());
            }
        });
        double[] edges = new double[histogram.bins()];
        Arrays.setAll(edges, histogram::binLowerEdge);

        List<String[]> definitions = List.of(
                new String[] {"Station", "'By station' counts only the station's own runs: FPY there is of the units' first run "
                        + "at that station; test yield is the figure to compare stations by."},
                new String[] {"Shift", "Shifts " + shifts.describe() + ". 'By shift' groups units by the shift of their first run."},
                new String[] {"Trend", "Units grouped by the UTC day of their first run of " + filter.operation() + "."},
                new String[] {"Pareto", "Runs of " + filter.operation() + " that did not pass, by failed parameter and step; a run "
                        + "failing two parameters counts for both; INCOMPLETE is a cause of its own."},
                new String[] {"Coupling loss", "Values of ALIGN runs that started in the time range, per product, step and channel. "
                        + "σ is the overall sample standard deviation (n-1), so the capability shown is strictly Ppk; "
                        + "percentiles come from a KLL sketch (rank error about 1.3 %). Limits: the released "
                        + Parameters.COUPLING_LOSS + " limit of product/ALIGN in force when the report was generated. "
                        + "Cpk below 1.33 is highlighted."},
                new String[] {"Raw data", "One row per unit, ALIGN run, step and channel; continued on 'Raw data (2)', ... "
                        + "past Excel's 1,048,576 rows. Outcome 'not judged' = no verdict yet."});
        return new YieldReport(filter.operation(), now, filter.describe() + "; operation=" + filter.operation(), operations,
                rty(operations.stream().map(OperationRow::figures).toList()), lots(runs), byRunKey(runs, RunFact::station),
                byFirstRun(runs, start -> shifts.of(start)),
                byFirstRun(runs, start -> start.atZone(ZoneOffset.UTC).toLocalDate().toString()),
                pareto(notPassed), stats, HISTOGRAM_STEP,
                new HistogramRow(edges, histogram.binWidth(), histogram.counts(), histogram.underflow(), histogram.overflow()),
                failing, definitions);
    }

    /**
     * Writes the workbook, streaming raw data from the database through a cursor in one read-only
     * transaction; the timeout allows for a million rows and more.
     */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public void writeWorkbook(YieldReport report, ReportFilter filter, OutputStream out, LongConsumer rawRowsWritten)
            throws IOException {
        try (Stream<RawRow> raw = reports.raw(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to())) {
            YieldWorkbook.write(report, raw, out, rawRowsWritten);
        }
    }

    /** Runs per operation (every operation present, possibly empty), reduced to the units in scope. */
    private Map<String, List<RunFact>> scoped(ReportFilter filter, List<RunFact> all) {
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

    private static List<LotRow> lots(List<RunFact> runs) {
        Map<List<String>, List<RunFact>> byLot = new TreeMap<>(Comparator.<List<String>, String>comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        runs.forEach(r -> byLot.computeIfAbsent(List.of(r.product(), r.lot()), k -> new ArrayList<>()).add(r));
        List<LotRow> rows = new ArrayList<>();
        byLot.forEach((key, lotRuns) -> rows.add(new LotRow(key.get(0), key.get(1), YieldFigures.of(unitRuns(lotRuns)))));
        return rows;
    }

    /** Groups runs by a property of each run (station, product). */
    private static List<GroupRow> byRunKey(List<RunFact> runs, Function<RunFact, String> key) {
        Map<String, List<RunFact>> groups = new TreeMap<>();
        runs.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
        List<GroupRow> rows = new ArrayList<>();
        groups.forEach((k, groupRuns) -> rows.add(new GroupRow(k, YieldFigures.of(unitRuns(groupRuns)))));
        return rows;
    }

    /** Groups units, with all their runs, by a property of their first run's start (shift, day). */
    private static List<GroupRow> byFirstRun(List<RunFact> runs, Function<Instant, String> key) {
        Map<String, Instant> firstStart = new HashMap<>();
        for (RunFact r : runs) {
            firstStart.merge(unitIdentity(r), r.runStartTime(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, List<RunFact>> groups = new TreeMap<>();
        runs.forEach(r -> groups.computeIfAbsent(key.apply(firstStart.get(unitIdentity(r))), k -> new ArrayList<>()).add(r));
        List<GroupRow> rows = new ArrayList<>();
        groups.forEach((k, groupRuns) -> rows.add(new GroupRow(k, YieldFigures.of(unitRuns(groupRuns)))));
        return rows;
    }

    /** RTY: product of the FPYs of the operations that have units; NaN when none has. */
    static double rty(java.util.Collection<YieldFigures> operations) {
        double rty = 1;
        boolean any = false;
        for (YieldFigures f : operations) {
            if (f.units() > 0) {
                rty *= f.firstPassYield();
                any = true;
            }
        }
        return any ? rty : Double.NaN;
    }

    private static List<ParetoRow> pareto(List<VerdictEntity> notPassed) {
        Map<String, Long> counts = new HashMap<>();
        for (VerdictEntity v : notPassed) {
            Set<String> causes = new TreeSet<>();
            if (v.getOutcome() == Outcome.INCOMPLETE) {
                causes.add("INCOMPLETE");
            } else if (v.getFailedChecks().isEmpty()) {
                causes.add("FAIL, no check recorded");
            } else {
                v.getFailedChecks().forEach(c -> causes.add(c.getStep() == null ? c.getParameter() : c.getParameter() + " " + c.getStep()));
            }
            causes.forEach(c -> counts.merge(c, 1L, Long::sum));
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new ParetoRow(e.getKey(), e.getValue()))
                .toList();
    }

    private record StatsKey(String product, String step, int channel) {
    }

    private Map<StatsKey, DistributionSummary> summaries(ReportFilter filter) {
        Map<StatsKey, DistributionSummary> summaries = new TreeMap<>(Comparator.comparing(StatsKey::product)
                .thenComparing(k -> STEPS.indexOf(k.step())).thenComparing(StatsKey::channel));
        try (Stream<LossValue> values = reports.couplingLoss(filter.product(), filter.lot(), filter.station(),
                filter.from(), filter.to())) {
            values.forEach(v -> summaries.computeIfAbsent(new StatsKey(v.product(), v.step(), v.channel()),
                    k -> DistributionSummary.forCouplingLossDb()).add(v.couplingLossDb()));
        }
        return summaries;
    }

    private static StatsRow statsRow(StatsKey key, DistributionSummary s, Limit limit) {
        Double lower = limit == null ? null : limit.lower();
        Double upper = limit == null ? null : limit.upper();
        Capability capability = s.capability(lower, upper);
        return new StatsRow(key.product(), key.step(), key.channel(), s.count(), s.mean(), s.standardDeviation(), s.min(),
                s.max(), s.quantile(0.01), s.quantile(0.5), s.quantile(0.9), s.quantile(0.99), lower, upper,
                capability.cpk(), capability.flagged());
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

    private static List<UnitRun> unitRuns(List<RunFact> runs) {
        return runs.stream().map(r -> new UnitRun(unitIdentity(r), r.runStartTime(), r.outcome())).toList();
    }

    private static List<FailingRow> failingRows(VerdictEntity run) {
        UnitEntity unit = run.getUnit();
        if (run.getOutcome() == Outcome.FAIL && !run.getFailedChecks().isEmpty()) {
            List<FailingRow> rows = new ArrayList<>();
            for (FailedCheckEntity check : run.getFailedChecks()) {
                rows.add(new FailingRow(unit.getSerial(), unit.getProduct(), unit.getLot(), run.getRunId(),
                        run.getAttempt(), run.getStation(), run.getOutcome().name(), check.getParameter(),
                        check.getStep(), check.getChannel(), check.getValue(), check.getLowerLimit(),
                        check.getUpperLimit(), check.getUnitOfMeasure()));
            }
            return rows;
        }
        // INCOMPLETE has no checks to list; a FAIL without checks would otherwise vanish from the sheet.
        String why = run.getReason() != null ? run.getReason()
                : run.getOutcome() == Outcome.INCOMPLETE ? "incomplete, no reason given" : "failed, no check recorded";
        return List.of(new FailingRow(unit.getSerial(), unit.getProduct(), unit.getLot(), run.getRunId(),
                run.getAttempt(), run.getStation(), run.getOutcome().name(), why, null, null, null, null, null, null));
    }

    /**
     * A unit is (product, serial). The separator is a control character, so no pair of real product and
     * serial strings can collide.
     */
    private static String unitIdentity(RunFact run) {
        return run.product() + '\u001F' + run.serial();
    }
}
