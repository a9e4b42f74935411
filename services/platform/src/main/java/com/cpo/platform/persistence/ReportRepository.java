package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import com.cpo.domain.Outcome;

/**
 * The reads behind yield figures, coupling-loss statistics and the workbook. Large results are returned as
 * streams over a database cursor (fetch size {@value #FETCH_SIZE}): the caller must hold a transaction and
 * close the stream.
 */
@ApplicationScoped
public class ReportRepository {

    static final int FETCH_SIZE = 2_000;

    private final EntityManager em;

    ReportRepository(EntityManager em) {
        this.em = em;
    }

    /** Every judged run of the units matching product and lot (null = any), all operations. */
    public List<RunFact> runFacts(String product, String lot) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        if (product != null) {
            conditions.add("u.product = :product");
            parameters.put("product", product);
        }
        if (lot != null) {
            conditions.add("u.lot = :lot");
            parameters.put("lot", lot);
        }
        var query = em.createQuery("""
                select new com.cpo.platform.persistence.RunFact(v.operation, u.product, u.lot, u.serial,
                       v.station, v.runId, v.attempt, v.runStartTime, v.outcome)
                from VerdictEntity v join v.unit u""" + where(conditions), RunFact.class);
        parameters.forEach(query::setParameter);
        return query.getResultList();
    }

    /** The runs of an operation that did not pass, with unit and failed checks, by serial then start time. */
    public List<VerdictEntity> notPassedRuns(String operation, String product, String lot) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>(List.of("v.operation = :operation", "v.outcome <> :pass"));
        parameters.put("operation", operation);
        parameters.put("pass", Outcome.PASS);
        if (product != null) {
            conditions.add("u.product = :product");
            parameters.put("product", product);
        }
        if (lot != null) {
            conditions.add("u.lot = :lot");
            parameters.put("lot", lot);
        }
        var query = em.createQuery("select v from VerdictEntity v join fetch v.unit u left join fetch v.failedChecks"
                + where(conditions) + " order by u.serial, v.runStartTime, v.attempt, v.id", VerdictEntity.class);
        parameters.forEach(query::setParameter);
        return query.getResultList();
    }

    /** A coupling-loss value with what statistics group it by. */
    public record LossValue(String product, String step, int channel, double couplingLossDb) {
    }

    /**
     * Coupling-loss values of ALIGN runs started in [from, to) on units of product and lot, at station (null =
     * any), streamed.
     */
    public Stream<LossValue> couplingLoss(String product, String lot, String station, Instant from, Instant to) {
        // the statistics' runs are those of the analytics app's: judged, and not INCOMPLETE
        Query query = alignmentQuery("SELECT u.product, a.step, a.channel, a.coupling_loss_db", product, lot, station,
                from, to, "", "v.outcome IN ('PASS', 'FAIL')");
        @SuppressWarnings("unchecked")
        Stream<Object[]> rows = query.getResultStream();
        return rows.map(r -> new LossValue((String) r[0], (String) r[1], ((Number) r[2]).intValue(),
                ((Number) r[3]).doubleValue()));
    }

    /** How many raw rows {@link #raw} would return. */
    public long rawCount(String product, String lot, String station, Instant from, Instant to) {
        return ((Number) alignmentQuery("SELECT count(*)", product, lot, station, from, to, "").getSingleResult()).longValue();
    }

    /** The raw measurements, by serial, run start, step and channel, streamed. */
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
                ((Number) r[10]).doubleValue(), r[11] == null ? null : ((Number) r[11]).doubleValue()));
    }

    private Query alignmentQuery(String select, String product, String lot, String station, Instant from, Instant to,
            String orderBy, String... extra) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>(List.of("r.operation = 'ALIGN'"));
        conditions.addAll(List.of(extra));
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
        if (from != null) {
            conditions.add("r.started_at >= :from");
            parameters.put("from", from);
        }
        if (to != null) {
            conditions.add("r.started_at < :to");
            parameters.put("to", to);
        }
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

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }
}
