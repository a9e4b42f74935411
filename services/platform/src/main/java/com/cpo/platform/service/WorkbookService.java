package com.cpo.platform.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Outcome;
import com.cpo.domain.Parameters;
import com.cpo.domain.PlantCalendar;
import com.cpo.domain.Rty;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.FixedBinHistogram;
import com.cpo.domain.stats.Percentiles;
import com.cpo.platform.persistence.RawRow;
import com.cpo.platform.persistence.ReportRepository;
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
    private final SpcService spc;
    private final DpatService dpat;

    WorkbookService(YieldService yields, ReportRepository reports, LimitService limits, PlantCalendar calendar, SpcService spc,
            DpatService dpat) {
        this.dpat = dpat;
        this.spc = spc;
        this.yields = yields;
        this.reports = reports;
        this.limits = limits;
        this.calendar = calendar;
    }

    /** Everything the yield workbook shows except the raw data, read in one transaction. */
    @Transactional
    public YieldReport report(ReportFilter filter) {
        Instant now = Instant.now();
        List<OperationRow> operations = new ArrayList<>();
        yields.operations(filter).forEach((op, figures) -> operations.add(new OperationRow(op, figures)));
        ReportRepository.RunScope scope = YieldService.runScope(filter);
        List<FailingRow> failing;
        try (Stream<ReportRepository.NotPassedRow> rows = reports.notPassed(scope)) {
            failing = rows.map(WorkbookService::failingRow).toList();
        }
        List<ParetoRow> pareto = reports.pareto(scope).stream().map(c -> new ParetoRow(c.cause(), c.runs())).toList();
        List<StatsRow> stats = yields.statistics(filter);
        FixedBinHistogram histogram = DistributionSummary.forCouplingLossDb().histogram();
        reports.couplingLossValueCounts(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to(), HISTOGRAM_STEP,
                histogram::add);
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
                new String[] {"Control chart", "X̄ chart of the final coupling loss per product × station × channel, one point per plant "
                        + "hour the runs started in (at most " + SpcService.REPORT_POINTS + " points, the latest); limits centre ± 3σ/√n from "
                        + "the baseline frozen for the product and station (pooled within-hour σ); rules broken: the Western Electric rules "
                        + "(1 beyond 3σ; 2 of 3 beyond 2σ, 4 of 5 beyond 1σ on one side; 8 in a row on one side)."},
                new String[] {"DPAT outliers", "At most the last " + DpatService.MAX_PERIOD.toDays() + " days of the period. "
                        + "Passing ALIGN runs whose final coupling loss (" + com.cpo.domain.Dpat.STEP + ") on a channel "
                        + "lies outside median ± k × robust σ (IQR / 1.35, percentiles " + Percentiles.DEFINITION + ") of its lot's passing "
                        + "units, or of its station's last passing runs, with each product's settings (GET /api/dpat/settings)."},
                new String[] {"Raw data", "One row per unit, ALIGN run, step and channel; continued on 'Raw data (2)', ... "
                        + "past Excel's 1,048,576 rows. Outcome 'not judged' = no verdict yet."});
        return new YieldReport(filter.operation(), now, filter.describe() + "; operation=" + filter.operation(), operations,
                Rty.of(operations.stream().collect(Collectors.toMap(OperationRow::operation, OperationRow::figures))).value(),
                yields.lots(filter), yields.groups(filter, YieldService.GroupBy.STATION),
                yields.groups(filter, YieldService.GroupBy.SHIFT), yields.groups(filter, YieldService.GroupBy.DAY),
                pareto, stats, HISTOGRAM_STEP,
                new HistogramRow(edges, histogram.binWidth(), histogram.counts(), histogram.underflow(), histogram.overflow()),
                failing, definitions, spc.points(filter.product(), filter.station(), filter.from(), filter.to()), dpatRows(filter));
    }

    /** DPAT outliers of the ALIGN runs in the filters, one row per channel outside, run starts on the plant's clock. */
    private List<com.cpo.platform.report.DpatSheet.Row> dpatRows(ReportFilter filter) {
        java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(calendar.zone());
        List<com.cpo.platform.report.DpatSheet.Row> rows = new ArrayList<>();
        // the period's last DPAT_PERIOD at most (the sheet says so): each lot or station is screened whole
        Instant to = filter.to() == null ? Instant.now() : filter.to();
        Instant earliest = to.minus(DpatService.MAX_PERIOD);
        Instant from = filter.from() == null || filter.from().isBefore(earliest) ? earliest : filter.from();
        for (DpatService.RunScreen run : dpat.outliers(filter.product(), from, to)) {
            if (filter.lot() != null && !filter.lot().equals(run.lot()) || filter.station() != null && !filter.station().equals(run.station())) {
                continue;
            }
            for (DpatService.ChannelScreen c : run.channels()) {
                if (c.outside()) {
                    rows.add(new com.cpo.platform.report.DpatSheet.Row(run.serial(), run.lot(), run.station(), local.format(run.start()), c.channel(),
                            c.valueDb(), c.medianDb(), c.robustSigmaDb(), c.lowerDb(), c.upperDb(), run.k(), c.population(), run.basis()));
                }
            }
        }
        return rows;
    }

    /**
     * Writes the workbook, streaming raw data from the database through a cursor in one read-only
     * transaction; the timeout allows for a million rows and more. Without raw data the Raw data sheet has its header only.
     */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public void writeWorkbook(YieldReport report, ReportFilter filter, boolean rawData, OutputStream out, LongConsumer rawRowsWritten)
            throws IOException {
        try (Stream<RawRow> raw = rawData ? reports.raw(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to())
                : Stream.empty()) {
            YieldWorkbook.write(report, raw, out, rawRowsWritten);
        }
    }


    /** A failed check of a FAIL run, or the run alone with why (INCOMPLETE, or a FAIL without recorded checks). */
    private static FailingRow failingRow(ReportRepository.NotPassedRow r) {
        if (r.parameter() != null) {
            return new FailingRow(r.serial(), r.product(), r.lot(), r.runId(), r.attempt(), r.station(), r.outcome(), r.parameter(),
                    r.step(), r.channel(), r.value(), r.lowerLimit(), r.upperLimit(), r.unitOfMeasure());
        }
        // INCOMPLETE has no checks to list; a FAIL without checks would otherwise vanish from the sheet.
        String why = r.reason() != null ? r.reason()
                : Outcome.INCOMPLETE.name().equals(r.outcome()) ? "incomplete, no reason given" : "failed, no check recorded";
        return new FailingRow(r.serial(), r.product(), r.lot(), r.runId(), r.attempt(), r.station(), r.outcome(), why, null, null, null,
                null, null, null);
    }

    /** Raw-data rows the workbook for this filter would have. */
    @Transactional
    public long rawRowCount(ReportFilter filter) {
        return reports.rawCount(filter.product(), filter.lot(), filter.station(), filter.from(), filter.to());
    }
}
