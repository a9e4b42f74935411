package com.cpo.platform.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.LimitSet;
import com.cpo.domain.Outcome;
import com.cpo.domain.Parameters;
import com.cpo.domain.PlantCalendar;
import com.cpo.domain.Rty;
import com.cpo.domain.YieldFigures;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.FixedBinHistogram;
import com.cpo.domain.stats.Percentiles;
import com.cpo.platform.persistence.FailedCheckEntity;
import com.cpo.platform.persistence.RawRow;
import com.cpo.platform.persistence.ReportRepository;
import com.cpo.platform.persistence.RunFact;
import com.cpo.platform.persistence.UnitEntity;
import com.cpo.platform.persistence.VerdictEntity;
import com.cpo.platform.report.YieldReport.FailingRow;
import com.cpo.platform.report.YieldReport.HistogramRow;
import com.cpo.platform.report.YieldReport.OperationRow;
import com.cpo.platform.report.YieldReport.ParetoRow;
import com.cpo.platform.report.YieldReport.StatsRow;
import com.cpo.platform.report.YieldReport;
import com.cpo.platform.report.YieldWorkbook;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * The yield workbook: its figures come from {@link YieldService}, the same ones the API serves; this class adds what only
 * the workbook shows (the Pareto of causes, the failing runs, the definitions in words) and streams the raw data.
 */
@ApplicationScoped
public class WorkbookService {

    /** The alignment step whose histogram the workbook charts: the value the unit ships with. */
    public static final String HISTOGRAM_STEP = "POST_THERMAL";

    private final YieldService yields;
    private final ReportRepository reports;
    private final LimitService limits;
    private final PlantCalendar calendar;

    WorkbookService(YieldService yields, ReportRepository reports, LimitService limits, PlantCalendar calendar) {
        this.yields = yields;
        this.reports = reports;
        this.limits = limits;
        this.calendar = calendar;
    }

    /** Everything the yield workbook shows except the raw data, read in one transaction. */
    @Transactional
    public YieldReport report(ReportFilter filter) {
        Instant now = Instant.now();
        Map<String, List<RunFact>> scoped = yields.scoped(filter, reports.runFacts(filter.product(), filter.lot()));
        List<OperationRow> operations = new ArrayList<>();
        scoped.forEach((op, runs) -> operations.add(new OperationRow(op, YieldFigures.of(YieldService.unitRuns(runs)))));
        List<RunFact> runs = scoped.get(filter.operation());
        Set<String> runIds = runs.stream().map(RunFact::runId).collect(Collectors.toSet());
        List<VerdictEntity> notPassed = reports.notPassedRuns(filter.operation(), filter.product(), filter.lot()).stream()
                .filter(v -> runIds.contains(v.getRunId()))
                .toList();
        List<FailingRow> failing = new ArrayList<>();
        notPassed.forEach(v -> failing.addAll(failingRows(v)));

        Map<YieldService.StatsKey, YieldService.Summary> summaries = yields.summaries(filter);
        List<LimitSet> released = limits.released();
        List<StatsRow> stats = new ArrayList<>();
        FixedBinHistogram histogram = DistributionSummary.forCouplingLossDb().histogram();
        summaries.forEach((key, s) -> {
            stats.add(YieldService.statsRow(key, s, YieldService.couplingLossLimit(released, key.product(), key.channel(), now)));
            if (HISTOGRAM_STEP.equals(key.step())) {
                histogram.merge(s.moments().histogram());
            }
        });
        double[] edges = new double[histogram.bins()];
        Arrays.setAll(edges, histogram::binLowerEdge);

        List<String[]> definitions = List.of(
                new String[] {"Station", "'By station' counts only the station's own runs: FPY there is of the units' first run "
                        + "at that station; test yield is the figure to compare stations by."},
                new String[] {"Shift", "Shifts " + calendar.describe() + ". 'By shift' groups units by the shift of their first run."},
                new String[] {"Trend", "Units grouped by the plant day (" + calendar.zone() + ") of their first run of " + filter.operation() + "."},
                new String[] {"RTY", Rty.definition() + "."},
                new String[] {"Pareto", "Runs of " + filter.operation() + " that did not pass, by failed parameter and step; a run "
                        + "failing two parameters counts for both; INCOMPLETE is a cause of its own."},
                new String[] {"Coupling loss", "Values of ALIGN runs that started in the time range, per product, step and channel. "
                        + "σ is the overall sample standard deviation (n-1), so the capability shown is strictly Ppk; "
                        + "percentiles are " + Percentiles.DEFINITION + ". Limits: the " + Parameters.COUPLING_LOSS
                        + " limit that binds each channel (its own, else the all-channel one) in the released product/ALIGN set in force "
                        + "when the report was generated. "
                        + "Cpk below 1.33 is highlighted."},
                new String[] {"Raw data", "One row per unit, ALIGN run, step and channel; continued on 'Raw data (2)', ... "
                        + "past Excel's 1,048,576 rows. Outcome 'not judged' = no verdict yet."});
        return new YieldReport(filter.operation(), now, filter.describe() + "; operation=" + filter.operation(), operations,
                Rty.of(operations.stream().collect(Collectors.toMap(OperationRow::operation, OperationRow::figures))).value(),
                YieldService.lots(runs), YieldService.byRunKey(runs, RunFact::station),
                YieldService.byFirstRun(runs, r -> calendar.shiftOf(r.runStartTime())),
                YieldService.byFirstRun(runs, r -> calendar.dayOf(r.runStartTime()).toString()),
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


    static List<ParetoRow> pareto(List<VerdictEntity> notPassed) {
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

    /** Raw-data rows the workbook for this filter would have. */
    @Transactional
    public long rawRowCount(ReportFilter filter) {
        return reports.rawCount(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to());
    }

    /** Runs per operation (every operation present, possibly empty), reduced to the units in scope. */
}
