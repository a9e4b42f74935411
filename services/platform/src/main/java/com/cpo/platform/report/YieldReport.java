package com.cpo.platform.report;

import java.time.Instant;
import java.util.List;

import com.cpo.domain.YieldFigures;

/**
 * Everything the yield workbook shows except the raw data, which is streamed (see
 * {@link YieldWorkbook#write(YieldReport, java.util.stream.Stream, java.io.OutputStream, java.util.function.LongConsumer)}).
 * Plain data, no framework: the benchmark builds one without the service.
 *
 * @param operation the operation of the lot, station, shift, trend, Pareto and failure figures, e.g. ALIGN
 * @param generatedAt when the data was read
 * @param filters the filters as the user gave them, e.g. "product=OE-1600; lot=any; ..."
 * @param operations yield per operation, for the Summary sheet; RTY is the product of their FPYs
 * @param rty rolled throughput yield as a fraction, NaN when an operation has no units
 * @param lots yield per product and lot
 * @param stations yield per station (only that station's runs count)
 * @param shifts yield per shift of the unit's first run
 * @param trend yield per day (UTC) of the unit's first run, in date order
 * @param pareto failure causes of runs that did not pass, most frequent first
 * @param couplingLoss coupling-loss statistics per product, step and channel
 * @param histogram coupling-loss histogram over every channel at {@link #histogramStep()}
 * @param failing one row per failed check of every FAIL run, and one per INCOMPLETE run
 * @param definitions lines of the Definitions sheet after the generated ones: term and explanation
 */
public record YieldReport(String operation, Instant generatedAt, String filters, List<OperationRow> operations,
        double rty, List<LotRow> lots, List<GroupRow> stations, List<GroupRow> shifts, List<GroupRow> trend,
        List<ParetoRow> pareto, List<StatsRow> couplingLoss, String histogramStep, HistogramRow histogram,
        List<FailingRow> failing, List<String[]> definitions, List<ControlChartSheet.Point> controlChart, List<DpatSheet.Row> dpat) {

    /** A report with only lots and failing units: the figures tests and small tools need. */
    public static YieldReport of(String operation, Instant generatedAt, List<LotRow> lots, List<FailingRow> failing) {
        return new YieldReport(operation, generatedAt, "none", List.of(), Double.NaN, lots, List.of(), List.of(),
                List.of(), List.of(), List.of(), "POST_THERMAL", null, failing, List.of(), List.of(), List.of());
    }

    /** Yield of one operation over the report's units. */
    public record OperationRow(String operation, YieldFigures figures) {
    }

    /** Yield of one lot of one product. */
    public record LotRow(String product, String lot, YieldFigures figures) {
    }

    /** Yield of one group: a station, a shift or a day. */
    public record GroupRow(String key, YieldFigures figures) {
    }

    /**
     * A failure cause and how many runs that did not pass had it (a run failing two parameters counts for
     * both); INCOMPLETE runs are a cause of their own.
     */
    public record ParetoRow(String cause, long runs) {
    }

    /**
     * Coupling-loss statistics of one product, step and channel, in dB. Capability is computed from the
     * overall sample σ (strictly Ppk); {@code lowerLimit}/{@code upperLimit} are null where no limit is known.
     */
    public record StatsRow(String product, String step, int channel, long n, double meanDb, double sigmaDb,
            double minDb, double maxDb, double p1Db, double p50Db, double p90Db, double p99Db, Double lowerLimit,
            Double upperLimit, double cpk, boolean flagged) {
    }

    /** Counts per fixed bin; {@code lowerEdgesDb[i]} is the lower edge of bin i. */
    public record HistogramRow(double[] lowerEdgesDb, double binWidthDb, long[] counts, long underflow, long overflow) {
    }

    /**
     * A failed check of a FAIL run, or an INCOMPLETE run (then {@code parameter} holds the reason and the
     * check columns are null).
     *
     * @param value the failed value, in {@code unitOfMeasure}
     */
    public record FailingRow(String serial, String product, String lot, String runId, int attempt, String station,
            String outcome, String parameter, String step, Integer channel, Double value, Double lowerLimit,
            Double upperLimit, String unitOfMeasure) {
    }

}
