package com.cpo.platform.live;

import java.time.Instant;
import java.util.List;

import com.cpo.events.BurnInAlarm;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.FailedCheck;
import com.cpo.events.RolledThroughputYield;
import com.cpo.events.Verdict;
import com.cpo.events.YieldFigures;

/**
 * What the dashboard receives, as JSON: the analytics events without their mergeable summaries. Ratios are
 * fractions 0..1 (the page shows them as %), values in dB where the name says so; null where undefined.
 */
public final class LiveViews {

    private LiveViews() {
    }

    /** Yield of one group (dimension LOT, FIRST_STATION or STATION) of a product and operation; {@code revision} grows per key. */
    public record YieldView(String key, String dimension, String product, String operation, String group, long revision,
            int units, int firstPassUnits, int finalPassUnits, int runs, int passedRuns, int incompleteRuns, Double fpy,
            Double finalYield, Double testYield, Double retestRate, Instant eventTime) {

        static YieldView of(YieldFigures y) {
            return new YieldView(y.getKey(), y.getDimension().name(), y.getProduct(), y.getOperation().name(), y.getGroup(),
                    y.getRevision(), y.getUnits(), y.getFirstPassUnits(), y.getFinalPassUnits(), y.getRuns(), y.getPassedRuns(),
                    y.getIncompleteRuns(), y.getFirstPassYield(), y.getFinalYield(), y.getTestYield(), y.getRetestRate(),
                    y.getEventTime());
        }
    }

    /** Rolled throughput yield of a product and lot; {@code eventTime} is that of the run behind the latest update. */
    public record RtyView(String key, String product, String lot, long revision, double rty,
            java.util.Map<String, Double> fpyByOperation, Instant eventTime) {

        static RtyView of(String key, RolledThroughputYield r) {
            java.util.Map<String, Double> fpy = new java.util.TreeMap<>();
            r.getFirstPassYieldByOperation().forEach((op, v) -> fpy.put(op.toString(), v));
            return new RtyView(key, r.getProduct(), r.getLot(), r.getRevision(), r.getRty(), fpy, r.getEventTime());
        }
    }

    /**
     * Coupling-loss statistics of one channel in a scope (PRODUCT_STATION or PRODUCT_LOT), in dB. σ is the overall
     * sample σ (n − 1), so {@code cpk} is strictly Ppk; with only an upper limit it is (USL − mean) / 3σ.
     * {@code eventTime} is that of the run behind the latest update.
     */
    public record StatisticsView(String key, String scope, String product, String station, String lot, int channel,
            String step, long revision, long n, double meanDb, Double stdDevDb, double minDb, double maxDb, double p1Db,
            double p50Db, double p90Db, double p99Db, double histogramLowerEdgeDb, double histogramBinWidthDb,
            List<Long> histogramCounts, long histogramUnderflow, long histogramOverflow, Double lowerLimitDb,
            Double upperLimitDb, Double cpk, Instant eventTime, String percentiles) {

        /** How the stream's p1..p99 are computed: it cannot hold every value (REST and the workbook give exact ones). */
        public static final String PERCENTILES = "approximate: KLL sketch, rank error about 1.3 %";

        static StatisticsView of(CouplingLossStatistics s) {
            return new StatisticsView(s.getKey(), s.getScope().name(), s.getProduct(), s.getStation(), s.getLot(),
                    s.getChannel(), s.getStep().name(), s.getRevision(), s.getN(), s.getMeanDb(), s.getStdDevDb(), s.getMinDb(),
                    s.getMaxDb(), s.getP1Db(), s.getP50Db(), s.getP90Db(), s.getP99Db(), s.getHistogramLowerEdgeDb(),
                    s.getHistogramBinWidthDb(), s.getHistogramCounts(), s.getHistogramUnderflow(), s.getHistogramOverflow(),
                    s.getLowerLimitDb(), s.getUpperLimitDb(), s.getCpk(), s.getEventTime(), PERCENTILES);
        }
    }

    /** One failed check of a verdict. */
    public record CheckView(String parameter, String step, Integer channel, double value, Double lowerLimit, Double upperLimit,
            String unitOfMeasure) {

        static CheckView of(FailedCheck c) {
            return new CheckView(c.getParameter(), c.getStep() == null ? null : c.getStep().name(), c.getChannel(), c.getValue(),
                    c.getLowerLimit(), c.getUpperLimit(), c.getUnitOfMeasure());
        }
    }

    /** A verdict; {@code eventTime} is the tester's, {@code publishedAt} the Kafka timestamp of the record. */
    public record VerdictView(String eventId, Instant eventTime, Instant publishedAt, String runId, String serial,
            String product, String lot, String station, String operation, int attempt, String outcome, String reason,
            List<CheckView> failedChecks) {

        static VerdictView of(Verdict v, long recordTimestampMs) {
            return new VerdictView(v.getEventId(), v.getEventTime(), Instant.ofEpochMilli(recordTimestampMs), v.getRunId(),
                    v.getSerial(), v.getProduct(), v.getLot(), v.getStation(), v.getOperation().name(), v.getAttempt(),
                    v.getOutcome().name(), v.getReason(), v.getFailedChecks().stream().map(CheckView::of).toList());
        }

        boolean failed() {
            return !"PASS".equals(outcome);
        }
    }

    /**
     * A change of a unit's burn-in alarm of one kind (raised, channels updated, cleared): a drift projected beyond its limit
     * by the end of burn-in, or a sudden drop. Its lifecycle (acknowledged, closed) is the service's: {@code /api/alarms}.
     */
    public record AlarmView(String eventId, Instant eventTime, String runId, String serial, String station, int slot,
            int channel, String kind, String transition, List<Integer> channels, Double value, Double limit, String unitOfMeasure,
            Double slopePerHour, Double hoursToLimit, String message) {

        static AlarmView of(BurnInAlarm a) {
            return new AlarmView(a.getEventId(), a.getEventTime(), a.getRunId(), a.getSerial(), a.getStation(), a.getSlot(),
                    a.getChannel(), a.getKind().name(), a.getTransition().name(), List.copyOf(a.getChannels()), finite(a.getValue()),
                    finite(a.getLimit()), a.getUnitOfMeasure(), a.getSlopePerHour(), a.getHoursToLimit(), a.getMessage());
        }

        private static Double finite(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }

    /**
     * A unit in a burn-in rack, with its channel furthest on its way to the power-drift limit.
     *
     * @param powerDriftDb the worst channel's drift from the stabilised baseline (null before the baseline)
     * @param powerSlopeDbPerHour that channel's drift slope
     * @param powerLimitDb the power-drift limit the drift is heading to (null without a released limit)
     * @param hoursToLimit linear projection of when that channel reaches the limit; null when not heading there
     * @param maxDropDb the unit's largest fall in power between consecutive readings
     */
    public record RackUnitView(String runId, String serial, String product, String lot, String station, Integer slot,
            double hoursInRack, int channels, Integer worstChannel, Double powerDriftDb, Double powerSlopeDbPerHour,
            Double powerLimitDb, Double hoursToLimit, Double biasDriftPct, double maxDropDb) {
    }
}
