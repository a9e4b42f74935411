package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.query.NativeQuery;

/**
 * Reads and writes verdicts. Writes use PostgreSQL's {@code ON CONFLICT} so that idempotency is the
 * database's job: a redelivered event, or two consumers racing on it after a rebalance, cannot make a
 * second row. Callers must be in a transaction.
 */
@ApplicationScoped
public class VerdictRepository {

    private final EntityManager em;

    VerdictRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * The id of the unit with this serial, inserting it first if it is new. An existing unit keeps the
     * product and lot it was first seen with. The lot is recorded too.
     */
    public long upsertUnit(String product, String serial, String lot) {
        em.createNativeQuery("INSERT INTO lots (product, lot) VALUES (:product, :lot) ON CONFLICT DO NOTHING")
                .setParameter("product", product)
                .setParameter("lot", lot)
                .executeUpdate();
        // DO UPDATE with a no-op assignment, because DO NOTHING would return no row for an existing unit.
        Object id = em.createNativeQuery("""
                INSERT INTO units (product, serial, lot) VALUES (:product, :serial, :lot)
                ON CONFLICT (serial) DO UPDATE SET serial = EXCLUDED.serial
                RETURNING id""")
                .setParameter("product", product)
                .setParameter("serial", serial)
                .setParameter("lot", lot)
                .getSingleResult();
        return ((Number) id).longValue();
    }

    /** Records what a station reported of the unit's genealogy: a value reported fills or corrects, an absent one keeps. */
    public void recordGenealogy(long unitId, String picWafer, String picDie, String fiberArraySerial) {
        if (picWafer == null && picDie == null && fiberArraySerial == null) {
            return;
        }
        // absent values as '' (a bare null would be bound without a SQL type), turned back into NULL by the statement
        em.createNativeQuery("""
                UPDATE units SET pic_wafer = coalesce(nullif(:wafer, ''), pic_wafer), pic_die = coalesce(nullif(:die, ''), pic_die),
                    fiber_array_serial = coalesce(nullif(:fa, ''), fiber_array_serial)
                WHERE id = :id""")
                .setParameter("wafer", picWafer == null ? "" : picWafer)
                .setParameter("die", picDie == null ? "" : picDie)
                .setParameter("fa", fiberArraySerial == null ? "" : fiberArraySerial)
                .setParameter("id", unitId)
                .executeUpdate();
    }

    /**
     * Inserts a verdict unless one with the same event id exists.
     *
     * @return the new row's id, or empty when the event had already been stored
     */
    public Optional<Long> insertIfAbsent(long unitId, VerdictRow row) {
        NativeQuery<?> insert = em.createNativeQuery("""
                INSERT INTO verdicts (event_id, run_id, unit_id, operation, attempt, station, run_start_time,
                                      event_time, outcome, limit_set_id, limit_set_version, reason)
                VALUES (:eventId, :runId, :unitId, :operation, :attempt, :station, :runStartTime,
                        :eventTime, :outcome, :limitSetId, :limitSetVersion, :reason)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING id""").unwrap(NativeQuery.class);
        // Typed parameters, because a bare null would be bound without a SQL type and rejected by PostgreSQL.
        List<?> ids = insert
                .setParameter("eventId", row.eventId(), String.class)
                .setParameter("runId", row.runId(), String.class)
                .setParameter("unitId", unitId, Long.class)
                .setParameter("operation", row.operation(), String.class)
                .setParameter("attempt", row.attempt(), Integer.class)
                .setParameter("station", row.station(), String.class)
                .setParameter("runStartTime", row.runStartTime(), Instant.class)
                .setParameter("eventTime", row.eventTime(), Instant.class)
                .setParameter("outcome", row.outcome().name(), String.class)
                .setParameter("limitSetId", row.limitSetId(), String.class)
                .setParameter("limitSetVersion", row.limitSetVersion(), Integer.class)
                .setParameter("reason", row.reason(), String.class)
                .getResultList();
        return ids.stream().findFirst().map(id -> ((Number) id).longValue());
    }

    /** Adds a failed check to the verdict with this id. */
    public void addFailedCheck(long verdictId, FailedCheckRow check) {
        em.persist(new FailedCheckEntity(em.getReference(VerdictEntity.class, verdictId), check.parameter(),
                check.step(), check.channel(), check.value(), check.lowerLimit(), check.upperLimit(),
                check.unitOfMeasure()));
    }

    public Optional<UnitEntity> findUnit(String serial) {
        return em.createQuery("select u from UnitEntity u where u.serial = :serial", UnitEntity.class)
                .setParameter("serial", serial)
                .getResultStream()
                .findFirst();
    }

    /**
     * All runs of a unit with their failed checks, in start-time order. (Hibernate 6+ returns each verdict
     * once despite the collection fetch join, so no {@code distinct}.)
     */
    public List<VerdictEntity> runsOf(UnitEntity unit) {
        return em.createQuery("""
                select v from VerdictEntity v left join fetch v.failedChecks
                where v.unit = :unit
                order by v.runStartTime, v.attempt, v.id""", VerdictEntity.class)
                .setParameter("unit", unit)
                .getResultList();
    }

    /** A page of units of product and lot (null = any), by serial. */
    public List<UnitEntity> units(String product, String lot, int first, int max) {
        var query = em.createQuery("select u from UnitEntity u" + unitFilter(product, lot) + " order by u.serial",
                UnitEntity.class);
        bindUnitFilter(query, product, lot);
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    public long countUnits(String product, String lot) {
        var query = em.createQuery("select count(u) from UnitEntity u" + unitFilter(product, lot), Long.class);
        bindUnitFilter(query, product, lot);
        return query.getSingleResult();
    }

    private static String unitFilter(String product, String lot) {
        List<String> conditions = new java.util.ArrayList<>();
        if (product != null) {
            conditions.add("u.product = :product");
        }
        if (lot != null) {
            conditions.add("u.lot = :lot");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static void bindUnitFilter(jakarta.persistence.TypedQuery<?> query, String product, String lot) {
        if (product != null) {
            query.setParameter("product", product);
        }
        if (lot != null) {
            query.setParameter("lot", lot);
        }
    }
}
