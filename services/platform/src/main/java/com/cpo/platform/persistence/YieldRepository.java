package com.cpo.platform.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import com.cpo.domain.Outcome;
import com.cpo.domain.UnitRun;
import com.cpo.domain.UnitYield;
import com.cpo.domain.YieldFigures;

/**
 * Yield where the data is. {@code unit_yield} holds one row per unit and operation, {@code unit_station_yield} one per
 * unit, operation and station: what the unit adds to yield ({@link UnitYield}, the domain's rule), kept current by
 * {@link #refresh} in every transaction that stores a verdict. Yield over any set of units is a sum over their rows
 * ({@link #sums}), one index range for a time-bounded question. Callers must be in a transaction.
 */
@ApplicationScoped
public class YieldRepository {

    private final EntityManager em;

    YieldRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Recomputes the rows of these units from their verdicts. The units' rows in {@code units} are locked first (in id
     * order), so a refresh never overwrites a newer one: a concurrent verdict of the same unit waits, then refreshes.
     *
     * @return the (unit, operation) rows written
     */
    public int refresh(Collection<Long> unitIds) {
        if (unitIds.isEmpty()) {
            return 0;
        }
        return em.unwrap(Session.class).doReturningWork(c -> refresh(c, unitIds));
    }

    private static int refresh(Connection c, Collection<Long> unitIds) throws SQLException {
        Array ids = c.createArrayOf("bigint", unitIds.toArray(Long[]::new));
        Map<Long, String[]> units = new LinkedHashMap<>();
        try (PreparedStatement lock = c.prepareStatement("SELECT id, product, lot FROM units WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            lock.setArray(1, ids);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    units.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        Map<String, List<UnitRun>> runs = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT unit_id, operation, run_start_time, attempt, station, outcome FROM verdicts
                WHERE unit_id = ANY (?) ORDER BY unit_id, operation""")) {
            select.setArray(1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getLong(1) + "|" + rs.getString(2);
                    runs.computeIfAbsent(key, k -> new ArrayList<>()).add(new UnitRun(key, rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4),
                            rs.getString(5), Outcome.valueOf(rs.getString(6))));
                }
            }
        }
        Rows unitRows = new Rows();
        Rows stationRows = new Rows();
        runs.forEach((key, unitRuns) -> {
            long unitId = Long.parseLong(key.substring(0, key.indexOf('|')));
            String operation = key.substring(key.indexOf('|') + 1);
            String[] productLot = units.get(unitId);
            UnitYield all = UnitYield.of(unitRuns);
            unitRows.add(unitId, operation, all.first().station(), productLot, all, unitRuns);
            UnitYield.byStation(unitRuns).forEach((station, y) -> stationRows.add(unitId, operation, station, productLot, y,
                    unitRuns.stream().filter(r -> r.station().equals(station)).toList()));
        });
        unitRows.upsert(c, """
                INSERT INTO unit_yield AS y (unit_id, operation, first_station, product, lot, first_run_start, first_passed,
                                             final_passed, runs, passed_runs, incomplete_runs, last_run_start)
                SELECT * FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],
                                     ?::boolean[], ?::boolean[], ?::int[], ?::int[], ?::int[], ?::timestamptz[])
                ON CONFLICT (unit_id, operation) DO UPDATE SET first_station = EXCLUDED.first_station,
                    product = EXCLUDED.product, lot = EXCLUDED.lot, first_run_start = EXCLUDED.first_run_start,
                    first_passed = EXCLUDED.first_passed, final_passed = EXCLUDED.final_passed, runs = EXCLUDED.runs,
                    passed_runs = EXCLUDED.passed_runs, incomplete_runs = EXCLUDED.incomplete_runs,
                    last_run_start = EXCLUDED.last_run_start""");
        stationRows.upsert(c, """
                INSERT INTO unit_station_yield AS y (unit_id, operation, station, product, lot, first_run_start, first_passed,
                                                     final_passed, runs, passed_runs, incomplete_runs, last_run_start)
                SELECT * FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],
                                     ?::boolean[], ?::boolean[], ?::int[], ?::int[], ?::int[], ?::timestamptz[])
                ON CONFLICT (unit_id, operation, station) DO UPDATE SET
                    product = EXCLUDED.product, lot = EXCLUDED.lot, first_run_start = EXCLUDED.first_run_start,
                    first_passed = EXCLUDED.first_passed, final_passed = EXCLUDED.final_passed, runs = EXCLUDED.runs,
                    passed_runs = EXCLUDED.passed_runs, incomplete_runs = EXCLUDED.incomplete_runs,
                    last_run_start = EXCLUDED.last_run_start""");
        return unitRows.size();
    }

    /** Rows for one unnest upsert: one array per column. Times travel as ISO-8601 text, whatever the session's zone. */
    private static final class Rows {
        final List<Long> unit = new ArrayList<>();
        final List<String> operation = new ArrayList<>();
        final List<String> station = new ArrayList<>();
        final List<String> product = new ArrayList<>();
        final List<String> lot = new ArrayList<>();
        final List<String> firstStart = new ArrayList<>();
        final List<Boolean> firstPassed = new ArrayList<>();
        final List<Boolean> finalPassed = new ArrayList<>();
        final List<Integer> runs = new ArrayList<>();
        final List<Integer> passed = new ArrayList<>();
        final List<Integer> incomplete = new ArrayList<>();
        final List<String> lastStart = new ArrayList<>();

        void add(long unitId, String op, String st, String[] productLot, UnitYield y, List<UnitRun> of) {
            unit.add(unitId);
            operation.add(op);
            station.add(st);
            product.add(productLot[0]);
            lot.add(productLot[1]);
            firstStart.add(y.first().startTime().toString());
            firstPassed.add(y.firstPassed());
            finalPassed.add(y.finalPassed());
            runs.add(y.runs());
            passed.add(y.passedRuns());
            incomplete.add(y.incompleteRuns());
            lastStart.add(of.stream().map(UnitRun::startTime).max(Instant::compareTo).orElseThrow().toString());
        }

        int size() {
            return unit.size();
        }

        void upsert(Connection c, String sql) throws SQLException {
            if (unit.isEmpty()) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setArray(1, c.createArrayOf("bigint", unit.toArray()));
                s.setArray(2, c.createArrayOf("varchar", operation.toArray()));
                s.setArray(3, c.createArrayOf("varchar", station.toArray()));
                s.setArray(4, c.createArrayOf("varchar", product.toArray()));
                s.setArray(5, c.createArrayOf("varchar", lot.toArray()));
                s.setArray(6, c.createArrayOf("varchar", firstStart.toArray()));
                s.setArray(7, c.createArrayOf("boolean", firstPassed.toArray()));
                s.setArray(8, c.createArrayOf("boolean", finalPassed.toArray()));
                s.setArray(9, c.createArrayOf("integer", runs.toArray()));
                s.setArray(10, c.createArrayOf("integer", passed.toArray()));
                s.setArray(11, c.createArrayOf("integer", incomplete.toArray()));
                s.setArray(12, c.createArrayOf("varchar", lastStart.toArray()));
                s.executeUpdate();
            }
        }
    }

    /**
     * Which units a sum is over.
     *
     * @param operation one operation, or null for every operation (then sums are per operation: {@link Bucket#OPERATION})
     * @param station only this station's runs count (a station's own yield), or null for all runs
     * @param from units whose first run (of the operation, at the station) started at or after this, or null
     * @param to ... and before this, or null
     */
    public record Scope(String operation, String product, String lot, String station, Instant from, Instant to) {
    }

    /** What a sum is grouped by: a property of the unit's row. Time buckets are the plant's, computed in its zone. */
    public enum Bucket {
        /** the operation */
        OPERATION,
        /** product, then lot */
        LOT,
        /** each station the unit was tested at, with its runs there alone */
        STATION,
        /** the station of the unit's first run */
        FIRST_STATION,
        /** the product */
        PRODUCT,
        /** the start (ISO-8601 UTC instant) of the plant hour of the unit's first run */
        HOUR,
        /** the plant date (ISO) of the unit's first run; weeks and months are made of these */
        DAY,
        /** the plant-local time of day (HH:MM:SS) of the unit's first run; shifts are made of these */
        TIME_OF_DAY
    }

    /** The yield of one bucket; {@code key2} is the lot of a {@link Bucket#LOT} bucket, else null. */
    public record Sum(String key, String key2, YieldFigures figures) {
    }

    /** Sums the rows of the units in scope by bucket; {@code zone} is the plant's time zone. */
    public List<Sum> sums(Scope scope, Bucket bucket, String zone) {
        boolean perStation = scope.station() != null || bucket == Bucket.STATION;
        String key = switch (bucket) {
            case OPERATION -> "y.operation, NULL";
            case LOT -> "y.product, y.lot";
            case STATION -> "y.station, NULL";
            case FIRST_STATION -> (perStation ? "y.station" : "y.first_station") + ", NULL";
            case PRODUCT -> "y.product, NULL";
            case HOUR -> "to_char(date_trunc('hour', y.first_run_start, :zone) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), NULL";
            case DAY -> "to_char(y.first_run_start AT TIME ZONE :zone, 'YYYY-MM-DD'), NULL";
            case TIME_OF_DAY -> "to_char(y.first_run_start AT TIME ZONE :zone, 'HH24:MI:SS'), NULL";
        };
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        if (scope.operation() != null) {
            where.add("y.operation = :operation");
            parameters.put("operation", scope.operation());
        }
        if (scope.product() != null) {
            where.add("y.product = :product");
            parameters.put("product", scope.product());
        }
        if (scope.lot() != null) {
            where.add("y.lot = :lot");
            parameters.put("lot", scope.lot());
        }
        if (scope.station() != null) {
            where.add("y.station = :station");
            parameters.put("station", scope.station());
        }
        if (scope.from() != null) {
            where.add("y.first_run_start >= :from");
            parameters.put("from", scope.from());
        }
        if (scope.to() != null) {
            where.add("y.first_run_start < :to");
            parameters.put("to", scope.to());
        }
        if (bucket == Bucket.HOUR || bucket == Bucket.DAY || bucket == Bucket.TIME_OF_DAY) {
            parameters.put("zone", zone);
        }
        var query = em.createNativeQuery("SELECT " + key + """
                , count(*), count(*) FILTER (WHERE y.first_passed), count(*) FILTER (WHERE y.final_passed),
                  sum(y.runs), sum(y.passed_runs)
                FROM """ + (perStation ? " unit_station_yield y" : " unit_yield y")
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " GROUP BY 1, 2");
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new Sum((String) r[0], (String) r[1], new YieldFigures(((Number) r[2]).intValue(),
                ((Number) r[3]).intValue(), ((Number) r[4]).intValue(), ((Number) r[5]).intValue(), ((Number) r[6]).intValue()))).toList();
    }

    /** Units with verdicts whose rows are still to be computed after an upgrade: the next batch after {@code afterUnitId}. */
    public List<Long> unitsWithVerdictsAfter(long afterUnitId, int limit) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT DISTINCT unit_id FROM verdicts WHERE unit_id > :after ORDER BY unit_id LIMIT :limit")
                .setParameter("after", afterUnitId)
                .setParameter("limit", limit)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }
}
