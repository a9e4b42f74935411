package com.cpo.platform.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Limit sets, their limits and audit trail. Callers must be in a transaction. */
@ApplicationScoped
public class LimitSetRepository {

    private final EntityManager em;

    LimitSetRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Locks a limit set's row until the transaction ends (SELECT … FOR UPDATE) and reads it again: revising, releasing and
     * discarding a draft then run one after another, each seeing what the one before it committed.
     */
    public LimitSetEntity lock(LimitSetEntity set) {
        em.lock(set, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        em.refresh(set);
        return set;
    }

    public Optional<LimitSetEntity> find(String limitSetId, int version) {
        return em.createQuery("""
                select s from LimitSetEntity s left join fetch s.limits
                where s.limitSetId = :id and s.version = :version""", LimitSetEntity.class)
                .setParameter("id", limitSetId)
                .setParameter("version", version)
                .getResultStream()
                .findFirst();
    }

    /** The highest version number used so far (drafts included), 0 when none. */
    public int highestVersion(String limitSetId) {
        Integer max = em.createQuery("select max(s.version) from LimitSetEntity s where s.limitSetId = :id", Integer.class)
                .setParameter("id", limitSetId)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    public Optional<LimitSetEntity> draftOf(String limitSetId) {
        return em.createQuery("select s from LimitSetEntity s where s.limitSetId = :id and s.status = :draft",
                LimitSetEntity.class)
                .setParameter("id", limitSetId)
                .setParameter("draft", LimitSetEntity.Status.DRAFT)
                .getResultStream()
                .findFirst();
    }

    /** Every released version of every limit set, with limits: small (tens of sets), read for lookups. */
    public List<LimitSetEntity> allReleased() {
        return em.createQuery("""
                select distinct s from LimitSetEntity s left join fetch s.limits
                where s.status = :released order by s.limitSetId, s.version""", LimitSetEntity.class)
                .setParameter("released", LimitSetEntity.Status.RELEASED)
                .getResultList();
    }

    /** A page of limit sets matching the filters (null = any), by id then version. */
    public List<LimitSetEntity> page(String product, String operation, LimitSetEntity.Status status, int first, int max) {
        var query = em.createQuery("select s from LimitSetEntity s" + where(product, operation, status)
                + " order by s.limitSetId, s.version", LimitSetEntity.class);
        bind(query, product, operation, status);
        return query.setFirstResult(first).setMaxResults(max).getResultList();
    }

    public long count(String product, String operation, LimitSetEntity.Status status) {
        var query = em.createQuery("select count(s) from LimitSetEntity s" + where(product, operation, status), Long.class);
        bind(query, product, operation, status);
        return query.getSingleResult();
    }

    // Conditions only for the filters given: "(:p is null or ...)" leaves PostgreSQL unable to type a null.
    private static String where(String product, String operation, LimitSetEntity.Status status) {
        List<String> conditions = new java.util.ArrayList<>();
        if (product != null) {
            conditions.add("s.product = :product");
        }
        if (operation != null) {
            conditions.add("s.operation = :operation");
        }
        if (status != null) {
            conditions.add("s.status = :status");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static void bind(jakarta.persistence.TypedQuery<?> query, String product, String operation,
            LimitSetEntity.Status status) {
        if (product != null) {
            query.setParameter("product", product);
        }
        if (operation != null) {
            query.setParameter("operation", operation);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
    }

    public List<LimitSetAuditEntity> auditOf(LimitSetEntity set) {
        return em.createQuery("select a from LimitSetAuditEntity a where a.limitSet = :set order by a.at, a.id",
                LimitSetAuditEntity.class)
                .setParameter("set", set)
                .getResultList();
    }

    public void persist(Object entity) {
        em.persist(entity);
    }

    /** Deletes the limits of a draft, flushed at once so that new limits with the same keys can follow. */
    public void deleteLimitsOf(LimitSetEntity draft) {
        em.createQuery("delete from LimitEntity l where l.limitSet = :set").setParameter("set", draft).executeUpdate();
        draft.getLimits().clear();
    }

    /**
     * Deletes a draft with its limits and audit (ON DELETE CASCADE), in SQL: removing the entity would leave
     * its already loaded limits pointing at it. The persistence context is cleared, so the caller must not
     * use entities it read before.
     */
    public void delete(LimitSetEntity draft) {
        em.createNativeQuery("DELETE FROM limit_sets WHERE id = :id").setParameter("id", draft.getId()).executeUpdate();
        em.clear();
    }

    public void flush() {
        em.flush();
    }
}
