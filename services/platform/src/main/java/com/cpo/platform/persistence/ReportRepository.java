package com.cpo.platform.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * The reads behind coupling-loss statistics, the Pareto, failing runs and raw data, each one SQL statement that
 * aggregates where the data is. Large results are streamed over a database cursor (fetch size {@value #FETCH_SIZE}):
 * the caller must hold a transaction and close the stream.
 *
 * <p>Alignment values are partitioned by the month of their measurement time, statistics and raw data are scoped by
 * the start of their run. So that a day's question reads a day's partitions, a run's values are looked for from
 * {@link #MEASUREMENT_MARGIN} before its start to as long after: an alignment run lasts minutes, and a value stamped
 * further from its run's start is reported when stored ({@code StationEventIngestService}).
 */
@ApplicationScoped
public class ReportRepository {

    static final int FETCH_SIZE = 2_000;
    /** How far from its run's start an alignment value's measurement time may be and still be found by a time-bounded query. */
    public static final Duration MEASUREMENT_MARGIN = StoredRuns.MEASUREMENT_MARGIN;

    private final EntityManager em;

    ReportRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Which runs of one operation: all runs (or, with a station, that station's runs) of the units whose first such run
     * started in [from, to), product and lot as given (null = any). The yield figures' scope ({@link YieldRepository}).
     */
    public record RunScope(String operation, String product, String lot, String station, Instant from, Instant to) {
    }

    /** Coupling-loss statistics of one product, step and channel, computed by PostgreSQL; NaN where undefined. */
    public record LossStatistics(String product, String step, int channel, long n, double mean, double sigma, double min,
            double max, double p1, double p50, double p90, double p99) {
    }

    /**
     * Coupling-loss statistics of judged (PASS or FAIL) ALIGN runs started in [from, to), per product, step and channel:
     * n, mean, sample σ (n−1), min, max, and exact percentiles by {@code percentile_cont} (linear interpolation between
     * closest ranks, the domain's {@code Percentiles}).
     */
    public List<LossStatistics> couplingLossStatistics(String product, String lot, String station, Instant from, Instant to) {
        Query query = judgedAlignmentQuery("""
                SELECT u.product, a.step, a.channel, count(*), avg(a.coupling_loss_db), stddev_samp(a.coupling_loss_db),
                       min(a.coupling_loss_db), max(a.coupling_loss_db),
                       percentile_cont(ARRAY[0.01, 0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY a.coupling_loss_db)""",
                product, lot, station, from, to, null, " GROUP BY 1, 2, 3");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> {
            double[] p = percentiles(r[8]);
            return new LossStatistics((String) r[0], (String) r[1], ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), d(r[4]),
                    d(r[5]), d(r[6]), d(r[7]), p[0], p[1], p[2], p[3]);
        }).toList();
    }

    /** Each distinct coupling-loss value at {@code step} of the same runs as the statistics, with how often it occurs. */
    public void couplingLossValueCounts(String product, String lot, String station, Instant from, Instant to, String step,
            ObjLongConsumer<Double> each) {
        Query query = judgedAlignmentQuery("SELECT a.coupling_loss_db, count(*)", product, lot, station, from, to, step, " GROUP BY 1");
        @SuppressWarnings("unchecked")
        Stream<Object[]> rows = query.getResultStream();
        try (rows) {
            rows.forEach(r -> each.accept(d(r[0]), ((Number) r[1]).longValue()));
        }
    }

    private Query judgedAlignmentQuery(String select, String product, String lot, String station, Instant from, Instant to,
            String step, String tail) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>(List.of("v.operation = 'ALIGN'", "v.outcome IN ('PASS', 'FAIL')"));
        if (product != null) {
            conditions.add("u.product = :product");
            parameters.put("product", product);
        }
        if (lot != null) {
            conditions.add("u.lot = :lot");
            parameters.put("lot", lot);
        }
        if (station != null) {
            conditions.add("v.station = :station");
            parameters.put("station", station);
        }
        if (step != null) {
            conditions.add("a.step = :step");
            parameters.put("step", step);
        }
        timeBounds("v.run_start_time", from, to, conditions, parameters);
        Query query = em.createNativeQuery(select + """

                FROM verdicts v
                JOIN units u ON u.id = v.unit_id
                JOIN alignment_values a ON a.run_id = v.run_id""" + where(conditions) + tail);
        parameters.forEach(query::setParameter);
        query.setHint("org.hibernate.fetchSize", FETCH_SIZE);
        query.setHint("org.hibernate.readOnly", true);
        return query;
    }

    /** Bounds runs by start and their alignment values by measurement time, within the margin, for partition pruning. */
    private static void timeBounds(String runStart, Instant from, Instant to, List<String> conditions, Map<String, Object> parameters) {
        if (from != null) {
            conditions.add(runStart + " >= :from");
            conditions.add("a.measured_at >= :measuredFrom");
            parameters.put("from", from);
            parameters.put("measuredFrom", from.minus(MEASUREMENT_MARGIN));
        }
        if (to != null) {
            conditions.add(runStart + " < :to");
            conditions.add("a.measured_at < :measuredTo");
            parameters.put("to", to);
            parameters.put("measuredTo", to.plus(MEASUREMENT_MARGIN));
        }
    }

    /** A failure cause and the runs that had it. */
    public record CauseCount(String cause, long runs) {
    }

    /**
     * The Pareto of the runs in scope that did not pass: per cause, how many runs had it, most frequent first. A cause is
     * a failed check's parameter and step; a run failing two counts for both; INCOMPLETE is a cause of its own, and a FAIL
     * without recorded checks is "FAIL, no check recorded".
     */
    public List<CauseCount> pareto(RunScope scope) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String from = runsInScope(scope, parameters);
        Query query = em.createNativeQuery("""
                SELECT cause, count(*) FROM (
                    SELECT DISTINCT v.id, CASE WHEN v.outcome = 'INCOMPLETE' THEN 'INCOMPLETE'
                                               WHEN f.id IS NULL THEN 'FAIL, no check recorded'
                                               WHEN f.step IS NULL THEN f.parameter
                                               ELSE f.parameter || ' ' || f.step END AS cause
                    """ + from + """
                    LEFT JOIN failed_checks f ON f.verdict_id = v.id AND v.outcome = 'FAIL'
                    WHERE v.outcome <> 'PASS') causes
                GROUP BY cause ORDER BY count(*) DESC, cause""");
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new CauseCount((String) r[0], ((Number) r[1]).longValue())).toList();
    }

    /** One failed check of a run that did not pass, or the run alone (check columns null) when it has none. */
    public record NotPassedRow(String serial, String product, String lot, String runId, int attempt, String station, String outcome,
            String reason, String parameter, String step, Integer channel, Double value, Double lowerLimit, Double upperLimit,
            String unitOfMeasure) {
    }

    /** The runs in scope that did not pass, with their failed checks, by serial, start, attempt and check. */
    public Stream<NotPassedRow> notPassed(RunScope scope) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String from = runsInScope(scope, parameters);
        Query query = em.createNativeQuery("""
                SELECT u.serial, u.product, u.lot, v.run_id, v.attempt, v.station, v.outcome, v.reason, f.parameter, f.step,
                       f.channel, f.value, f.lower_limit, f.upper_limit, f.unit_of_measure
                """ + from + """
                JOIN units u ON u.id = v.unit_id
                LEFT JOIN failed_checks f ON f.verdict_id = v.id AND v.outcome = 'FAIL'
                WHERE v.outcome <> 'PASS'
                ORDER BY u.serial, v.run_start_time, v.attempt, v.id, f.id""");
        parameters.forEach(query::setParameter);
        query.setHint("org.hibernate.fetchSize", FETCH_SIZE);
        query.setHint("org.hibernate.readOnly", true);
        @SuppressWarnings("unchecked")
        Stream<Object[]> rows = query.getResultStream();
        return rows.map(r -> new NotPassedRow((String) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(),
                (String) r[5], (String) r[6], (String) r[7], (String) r[8], (String) r[9], r[10] == null ? null : ((Number) r[10]).intValue(),
                r[11] == null ? null : d(r[11]), r[12] == null ? null : d(r[12]), r[13] == null ? null : d(r[13]), (String) r[14]));
    }

    /** FROM ... JOIN of the verdicts in scope (alias v), through the units' yield rows (alias y), which hold the scope. */
    private static String runsInScope(RunScope scope, Map<String, Object> parameters) {
        List<String> conditions = new ArrayList<>(List.of("y.operation = :operation"));
        parameters.put("operation", scope.operation());
        if (scope.product() != null) {
            conditions.add("y.product = :product");
            parameters.put("product", scope.product());
        }
        if (scope.lot() != null) {
            conditions.add("y.lot = :lot");
            parameters.put("lot", scope.lot());
        }
        if (scope.station() != null) {
            conditions.add("y.station = :station");
            parameters.put("station", scope.station());
        }
        if (scope.from() != null) {
            conditions.add("y.first_run_start >= :from");
            parameters.put("from", scope.from());
        }
        if (scope.to() != null) {
            conditions.add("y.first_run_start < :to");
            parameters.put("to", scope.to());
        }
        String yields = scope.station() == null ? "unit_yield" : "unit_station_yield";
        String sameStation = scope.station() == null ? "" : " AND v.station = :station";
        return "FROM (SELECT y.unit_id FROM " + yields + " y" + where(conditions) + ") scoped\n"
                + "JOIN verdicts v ON v.unit_id = scoped.unit_id AND v.operation = :operation" + sameStation + "\n";
    }

    /** How many raw rows {@link #raw} would return. */
    public long rawCount(String product, String lot, String station, Instant from, Instant to) {
        return ((Number) alignmentQuery("SELECT count(*)", product, lot, station, from, to, "").getSingleResult()).longValue();
    }

    /** The raw measurements of ALIGN runs started in [from, to), by serial, run start, step and channel, streamed. */
    public Stream<RawRow> raw(String product, String lot, String station, Instant from, Instant to) {
        Query query = alignmentQuery("""
                SELECT u.serial, u.product, u.lot, r.run_id, r.attempt, r.station, r.started_at, v.outcome, a.step,
                       a.channel, a.coupling_loss_db, a.pdl_db""", product, lot, station, from, to, """
                 ORDER BY u.serial, r.started_at, r.run_id,
                          CASE a.step WHEN 'PRE_CURE' THEN 0 WHEN 'POST_UV' THEN 1 ELSE 2 END, a.channel""");
        @SuppressWarnings("unchecked")
        Stream<Object[]> rows = query.getResultStream();
        return rows.map(r -> new RawRow((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                ((Number) r[4]).intValue(), (String) r[5], MeasurementRepository.instant(r[6]),
                r[7] == null ? "not judged" : (String) r[7], (String) r[8], ((Number) r[9]).intValue(),
                d(r[10]), r[11] == null ? null : d(r[11])));
    }

    private Query alignmentQuery(String select, String product, String lot, String station, Instant from, Instant to, String orderBy) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>(List.of("r.operation = 'ALIGN'"));
        if (product != null) {
            conditions.add("u.product = :product");
            parameters.put("product", product);
        }
        if (lot != null) {
            conditions.add("u.lot = :lot");
            parameters.put("lot", lot);
        }
        if (station != null) {
            conditions.add("r.station = :station");
            parameters.put("station", station);
        }
        timeBounds("r.started_at", from, to, conditions, parameters);
        Query query = em.createNativeQuery(select + """

                FROM alignment_values a
                JOIN runs r ON r.run_id = a.run_id
                JOIN units u ON u.id = r.unit_id
                LEFT JOIN verdicts v ON v.run_id = a.run_id""" + where(conditions) + " " + orderBy);
        parameters.forEach(query::setParameter);
        query.setHint("org.hibernate.fetchSize", FETCH_SIZE);
        query.setHint("org.hibernate.readOnly", true);
        return query;
    }

    /** PostgreSQL's float8[] as the driver or Hibernate hands it over. */
    private static double[] percentiles(Object array) {
        if (array instanceof double[] values) {
            return values;
        }
        Object[] values;
        try {
            values = array instanceof java.sql.Array a ? (Object[]) a.getArray() : (Object[]) array;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read percentiles: " + e.getMessage(), e);
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = d(values[i]);
        }
        return out;
    }

    private static double d(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
