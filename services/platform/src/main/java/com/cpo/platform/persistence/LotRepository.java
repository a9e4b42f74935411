package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * What the lot page and the search box ask of the database: a lot's units with their outcome per operation (from
 * {@code unit_yield}, one row per unit and operation, which the domain fills as verdicts arrive), the checks its runs
 * failed, and units and lots by the start of their name.
 */
@ApplicationScoped
public class LotRepository {

    /** How a lot's units can be ordered. */
    public enum UnitOrder {
        SERIAL("u.serial"), FIRST_TESTED("first_tested NULLS LAST, u.serial"), LAST_TESTED("last_tested DESC NULLS LAST, u.serial");

        private final String sql;

        UnitOrder(String sql) {
            this.sql = sql;
        }
    }

    /**
     * Which units of a lot: every one (those without a verdict yet too), or those whose latest attempt at some operation failed,
     * or passed every operation tested.
     */
    public enum OutcomeFilter {
        ALL("true"),
        /** the latest attempt of some operation did not pass */
        FAILED("coalesce(bool_or(NOT y.final_passed), false)"),
        /** the latest attempt of every operation tested passed */
        PASSED("coalesce(bool_and(y.final_passed), false)"),
        /** passed in the end, but not at the first attempt of some operation */
        RETESTED("coalesce(bool_and(y.final_passed) AND bool_or(NOT y.first_passed), false)");

        private final String having;

        OutcomeFilter(String having) {
            this.having = having;
        }
    }

    /**
     * One unit of a lot: per operation tested, its first and final outcome and how many runs.
     *
     * @param alignFinalPassed null when the unit has no ALIGN verdict
     */
    public record LotUnit(String serial, Instant firstTested, Instant lastTested, Boolean alignFirstPassed, Boolean alignFinalPassed,
            Integer alignRuns, Boolean burnInFirstPassed, Boolean burnInFinalPassed, Integer burnInRuns) {
    }

    /**
     * How often one check failed in a lot's runs.
     *
     * @param step null for a check of the whole run (burn-in)
     */
    public record FailureCount(String operation, String parameter, String step, long runs, long units, long channels) {
    }

    /** A unit or lot whose name starts with what was typed. */
    public record Hit(String kind, String product, String lot, String serial) {
    }

    private final EntityManager em;

    LotRepository(EntityManager em) {
        this.em = em;
    }

    private static final String UNITS = """
            FROM units u LEFT JOIN unit_yield y ON y.unit_id = u.id
            WHERE u.product = :product AND u.lot = :lot
            GROUP BY u.id, u.serial
            HAVING %s""";

    public List<LotUnit> units(String product, String lot, OutcomeFilter outcome, UnitOrder order, long first, int max) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT u.serial, min(y.first_run_start) AS first_tested, max(y.last_run_start) AS last_tested,
                       bool_or(y.first_passed) FILTER (WHERE y.operation = 'ALIGN'),
                       bool_or(y.final_passed) FILTER (WHERE y.operation = 'ALIGN'),
                       sum(y.runs) FILTER (WHERE y.operation = 'ALIGN'),
                       bool_or(y.first_passed) FILTER (WHERE y.operation = 'BURNIN'),
                       bool_or(y.final_passed) FILTER (WHERE y.operation = 'BURNIN'),
                       sum(y.runs) FILTER (WHERE y.operation = 'BURNIN')
                """ + UNITS.formatted(outcome.having) + " ORDER BY " + order.sql + " OFFSET :first LIMIT :max")
                .setParameter("product", product).setParameter("lot", lot)
                .setParameter("first", first).setParameter("max", max)
                .getResultList();
        return rows.stream().map(r -> new LotUnit((String) r[0], MeasurementRepository.instant(r[1]), MeasurementRepository.instant(r[2]),
                (Boolean) r[3], (Boolean) r[4], integer(r[5]), (Boolean) r[6], (Boolean) r[7], integer(r[8]))).toList();
    }

    public long countUnits(String product, String lot, OutcomeFilter outcome) {
        Object n = em.createNativeQuery("SELECT count(*) FROM (SELECT 1 " + UNITS.formatted(outcome.having) + ") t")
                .setParameter("product", product).setParameter("lot", lot).getSingleResult();
        return ((Number) n).longValue();
    }

    /** The checks a lot's runs failed, the most frequent first (a Pareto). */
    public List<FailureCount> failures(String product, String lot) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT v.operation, f.parameter, f.step, count(DISTINCT v.id), count(DISTINCT v.unit_id),
                       count(DISTINCT f.channel)
                FROM units u JOIN verdicts v ON v.unit_id = u.id JOIN failed_checks f ON f.verdict_id = v.id
                WHERE u.product = :product AND u.lot = :lot
                GROUP BY v.operation, f.parameter, f.step
                ORDER BY 4 DESC, 1, 2, 3""")
                .setParameter("product", product).setParameter("lot", lot)
                .getResultList();
        return rows.stream().map(r -> new FailureCount((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue(), ((Number) r[5]).longValue())).toList();
    }

    /** INCOMPLETE runs of a lot by their reason (they fail no check, but are not passes either). */
    public List<FailureCount> incomplete(String product, String lot) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT v.operation, count(*), count(DISTINCT v.unit_id)
                FROM units u JOIN verdicts v ON v.unit_id = u.id
                WHERE u.product = :product AND u.lot = :lot AND v.outcome = 'INCOMPLETE'
                GROUP BY v.operation ORDER BY 2 DESC""")
                .setParameter("product", product).setParameter("lot", lot)
                .getResultList();
        return rows.stream().map(r -> new FailureCount((String) r[0], "incomplete", null, ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), 0)).toList();
    }

    /** Whether the lot is known (any event named it). */
    public boolean exists(String product, String lot) {
        return !em.createNativeQuery("SELECT 1 FROM lots WHERE product = :product AND lot = :lot")
                .setParameter("product", product).setParameter("lot", lot).getResultList().isEmpty();
    }

    /**
     * Units whose serial and lots whose name start with {@code prefix} (case-insensitive), exact matches first; at most
     * {@code max} of each.
     */
    public List<Hit> search(String prefix, int max) {
        String like = prefix.toUpperCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        @SuppressWarnings("unchecked")
        List<Object[]> lots = em.createNativeQuery("""
                SELECT product, lot FROM lots WHERE upper(lot) LIKE :like
                ORDER BY upper(lot) = upper(:exact) DESC, lot, product LIMIT :max""")
                .setParameter("like", like).setParameter("exact", prefix).setParameter("max", max).getResultList();
        @SuppressWarnings("unchecked")
        List<Object[]> units = em.createNativeQuery("""
                SELECT product, lot, serial FROM units WHERE upper(serial) LIKE :like
                ORDER BY upper(serial) = upper(:exact) DESC, serial LIMIT :max""")
                .setParameter("like", like).setParameter("exact", prefix).setParameter("max", max).getResultList();
        List<Hit> hits = new java.util.ArrayList<>();
        units.forEach(r -> hits.add(new Hit("unit", (String) r[0], (String) r[1], (String) r[2])));
        lots.forEach(r -> hits.add(new Hit("lot", (String) r[0], (String) r[1], null)));
        return hits;
    }

    private static Integer integer(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }
}
