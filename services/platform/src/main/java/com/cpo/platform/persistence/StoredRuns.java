package com.cpo.platform.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.cpo.domain.ChannelValue;
import com.cpo.domain.WhatIf;

/**
 * Stored alignment runs as the judge saw them, for judging again: one row per run with its values as arrays (one round
 * trip per run, not per value), by serial, start and attempt, through a cursor (memory holds one unit's runs).
 * Runs without their RunCompleted are left out: the judge has not judged them either.
 */
@ApplicationScoped
public class StoredRuns {

    private static final int FETCH_SIZE = 2_000;
    private final DataSource database;

    StoredRuns(DataSource database) {
        this.database = database;
    }

    /** Receives one unit's runs at a time. */
    @FunctionalInterface
    public interface UnitRuns {
        void accept(String serial, List<WhatIf.Run> runs);
    }

    /** How many runs a what-if would judge, and the most channels any of them has. */
    public record Scope(long runs, int channels) {
    }

    /** Runs of a limit set that started in [from, to), at any of {@code stations} (empty: all). */
    public Scope count(String limitSetId, Instant from, Instant to, List<String> stations) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*), coalesce(max(r.channel_count), 0) FROM runs r WHERE r.operation = 'ALIGN' AND r.limit_set_id = ? "
                        + "AND r.started_at >= ? AND r.started_at < ? AND r.completed_at IS NOT NULL"
                        + (stations.isEmpty() ? "" : " AND r.station = ANY (?)"))) {
            bind(c, s, limitSetId, from, to, stations);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Scope(rs.getLong(1), rs.getInt(2));
            }
        }
    }

    /** Streams the runs, one unit at a time, in serial order; returns how many runs were read. */
    public long forEachUnit(String limitSetId, Instant from, Instant to, List<String> stations, UnitRuns consumer) throws SQLException {
        String sql = """
                SELECT u.serial, r.station, r.started_at, r.attempt, coalesce(r.aborted, false), coalesce(r.measurement_events, 0),
                       array_agg(a.step), array_agg(a.channel), array_agg(a.coupling_loss_db), array_agg(a.pdl_db)
                  FROM runs r
                  JOIN units u ON u.id = r.unit_id
                  LEFT JOIN alignment_values a ON a.run_id = r.run_id AND a.measured_at >= ? AND a.measured_at < ?
                 WHERE r.operation = 'ALIGN' AND r.limit_set_id = ? AND r.started_at >= ? AND r.started_at < ?
                   AND r.completed_at IS NOT NULL""" + (stations.isEmpty() ? "" : " AND r.station = ANY (?)") + """

                 GROUP BY u.serial, r.run_id, r.station, r.started_at, r.attempt, r.aborted, r.measurement_events
                 ORDER BY u.serial, r.started_at, r.attempt""";
        long read = 0;
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false); // a cursor
            c.setReadOnly(true);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(FETCH_SIZE);
                s.setObject(1, from.minus(ReportRepository.MEASUREMENT_MARGIN).atOffset(ZoneOffset.UTC));
                s.setObject(2, to.plus(ReportRepository.MEASUREMENT_MARGIN).atOffset(ZoneOffset.UTC));
                s.setString(3, limitSetId);
                s.setObject(4, from.atOffset(ZoneOffset.UTC));
                s.setObject(5, to.atOffset(ZoneOffset.UTC));
                if (!stations.isEmpty()) {
                    s.setArray(6, c.createArrayOf("varchar", stations.toArray()));
                }
                String serial = null;
                List<WhatIf.Run> runs = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String unit = rs.getString(1);
                        if (serial != null && !serial.equals(unit)) {
                            consumer.accept(serial, runs);
                            runs = new ArrayList<>();
                        }
                        serial = unit;
                        runs.add(run(rs));
                        read++;
                    }
                }
                if (serial != null) {
                    consumer.accept(serial, runs);
                }
            }
            c.commit();
        }
        return read;
    }

    private static WhatIf.Run run(ResultSet rs) throws SQLException {
        Object[] steps = array(rs.getArray(7));
        Object[] channels = array(rs.getArray(8));
        Object[] losses = array(rs.getArray(9));
        Object[] pdls = array(rs.getArray(10));
        List<ChannelValue> values = new ArrayList<>(steps.length);
        Set<String> received = new HashSet<>(4);
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == null) {
                continue; // a run without values: one null row from the outer join
            }
            String step = (String) steps[i];
            received.add(step);
            values.add(new ChannelValue(step, ((Number) channels[i]).intValue(), ((Number) losses[i]).doubleValue(),
                    pdls[i] == null ? null : ((Number) pdls[i]).doubleValue()));
        }
        Timestamp start = rs.getTimestamp(3);
        return new WhatIf.Run(rs.getString(2), start.toInstant(), rs.getInt(4), rs.getBoolean(5), rs.getInt(6), received.size(), values);
    }

    private static Object[] array(Array a) throws SQLException {
        return a == null ? new Object[0] : (Object[]) a.getArray();
    }

    private static void bind(Connection c, PreparedStatement s, String limitSetId, Instant from, Instant to, List<String> stations)
            throws SQLException {
        s.setString(1, limitSetId);
        s.setObject(2, from.atOffset(ZoneOffset.UTC));
        s.setObject(3, to.atOffset(ZoneOffset.UTC));
        if (!stations.isEmpty()) {
            s.setArray(4, c.createArrayOf("varchar", stations.toArray()));
        }
    }
}
