package com.cpo.platform.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.YieldAlarmRule;
import com.cpo.domain.YieldFigures;

/**
 * Yield alarms (V10): each product's FPY target per operation, set by an engineer, and the alarms the domain's
 * {@link YieldAlarmRule} raises and clears as the analytics app's lot and first-station yield figures arrive.
 */
@ApplicationScoped
public class YieldAlarms {

    /** Groups a yield alarm watches. */
    public static final List<String> DIMENSIONS = List.of("LOT", "FIRST_STATION");

    /** A target as stored. */
    public record TargetView(String product, String operation, double fpyTarget, int minUnits, String setBy, Instant setAt, String reason) {
    }

    /** An alarm as listed. */
    public record AlarmView(long id, String product, String operation, String dimension, String group, String state, int units, double fpy,
            double fpyTarget, int minUnits, String message, Instant raisedAt, Instant updatedAt, Instant clearedAt) {
    }

    /** What a yield update did to its group's alarm. */
    public enum Change {
        NONE, RAISED, CLEARED, UPDATED
    }

    private final DataSource database;
    private final Notifications notifications;

    YieldAlarms(DataSource database, Notifications notifications) {
        this.database = database;
        this.notifications = notifications;
    }

    /** Sets (or replaces) a product's target for an operation. */
    @Transactional
    public TargetView setTarget(String product, String operationName, double fpyTarget, int minUnits, String reason, String engineer)
            throws SQLException {
        String operation = Operations.parse(operationName).name();
        try {
            new YieldAlarmRule.Target(product, operation, fpyTarget, minUnits);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(fpyTarget > 0 && fpyTarget <= 1 ? "minUnits" : "fpyTarget", e.getMessage());
        }
        Instant now = Instant.now();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO yield_targets (product, operation,"
                + " fpy_target, min_units, set_by, set_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product, operation) DO UPDATE SET"
                + " fpy_target = excluded.fpy_target, min_units = excluded.min_units, set_by = excluded.set_by, set_at = excluded.set_at,"
                + " reason = excluded.reason")) {
            s.setString(1, product);
            s.setString(2, operation);
            s.setDouble(3, fpyTarget);
            s.setInt(4, minUnits);
            s.setString(5, engineer);
            s.setTimestamp(6, Timestamp.from(now));
            s.setString(7, reason);
            s.executeUpdate();
        }
        return new TargetView(product, operation, fpyTarget, minUnits, engineer, now, reason);
    }

    public List<TargetView> targets() throws SQLException {
        List<TargetView> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT product, operation, fpy_target, min_units,"
                + " set_by, set_at, reason FROM yield_targets ORDER BY product, operation"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new TargetView(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getInt(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getString(7)));
            }
        }
        return out;
    }

    /**
     * Applies one group's latest yield figures: raises, updates or clears its alarm.
     *
     * @param at the figures' event time
     */
    @Transactional
    public Change apply(String product, String operation, String dimension, String group, YieldFigures figures, Instant at) throws SQLException {
        if (!DIMENSIONS.contains(dimension)) {
            return Change.NONE;
        }
        try (Connection c = database.getConnection()) {
            YieldAlarmRule.Target target = null;
            try (PreparedStatement s = c.prepareStatement("SELECT fpy_target, min_units FROM yield_targets WHERE product = ? AND operation = ?")) {
                s.setString(1, product);
                s.setString(2, operation);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        target = new YieldAlarmRule.Target(product, operation, rs.getDouble(1), rs.getInt(2));
                    }
                }
            }
            if (target == null) {
                return Change.NONE;
            }
            Long open = null;
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM yield_alarms WHERE product = ? AND operation = ? AND dimension = ?"
                    + " AND grp = ? AND state = 'OPEN' FOR UPDATE")) {
                s.setString(1, product);
                s.setString(2, operation);
                s.setString(3, dimension);
                s.setString(4, group);
                try (ResultSet rs = s.executeQuery()) {
                    open = rs.next() ? rs.getLong(1) : null;
                }
            }
            boolean alarmed = YieldAlarmRule.alarmed(figures, target, open != null);
            String message = YieldAlarmRule.message("LOT".equals(dimension) ? "lot" : "station (first runs)", group, figures, target);
            Timestamp t = Timestamp.from(at);
            if (alarmed && open == null) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO yield_alarms (product, operation, dimension, grp, state, units, fpy,"
                        + " fpy_target, min_units, message, raised_at, updated_at) VALUES (?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, product);
                    s.setString(2, operation);
                    s.setString(3, dimension);
                    s.setString(4, group);
                    s.setInt(5, figures.units());
                    s.setDouble(6, figures.firstPassYield());
                    s.setDouble(7, target.fpyTarget());
                    s.setInt(8, target.minUnits());
                    s.setString(9, message);
                    s.setTimestamp(10, t);
                    s.setTimestamp(11, t);
                    s.executeUpdate();
                }
                java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
                payload.put("product", product);
                payload.put("operation", operation);
                payload.put("dimension", dimension);
                payload.put("group", group);
                payload.put("units", figures.units());
                payload.put("fpy", figures.firstPassYield());
                payload.put("fpyTarget", target.fpyTarget());
                notifications.enqueue(c, "YIELD_ALARM", "yield:" + product + "|" + operation + "|" + dimension + "|" + group + "|" + at.toEpochMilli(),
                        "[CPO] Yield alarm: " + message, message, payload);
                return Change.RAISED;
            }
            if (open == null) {
                return Change.NONE;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE yield_alarms SET units = ?, fpy = ?, message = ?, updated_at = ?"
                    + (alarmed ? "" : ", state = 'CLEARED', cleared_at = ?") + " WHERE id = ?")) {
                s.setInt(1, figures.units());
                s.setDouble(2, figures.firstPassYield());
                s.setString(3, message);
                s.setTimestamp(4, t);
                if (alarmed) {
                    s.setLong(5, open);
                } else {
                    s.setTimestamp(5, t);
                    s.setLong(6, open);
                }
                s.executeUpdate();
            }
            return alarmed ? Change.UPDATED : Change.CLEARED;
        }
    }

    /** Alarms, latest raised first, of a state and product when given. */
    public List<AlarmView> list(String state, String product, int limit) throws SQLException {
        List<AlarmView> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT id, product, operation, dimension, grp, state,"
                + " units, fpy, fpy_target, min_units, message, raised_at, updated_at, cleared_at FROM yield_alarms"
                + " WHERE (?::varchar IS NULL OR state = ?) AND (?::varchar IS NULL OR product = ?) ORDER BY raised_at DESC, id DESC LIMIT ?")) {
            s.setString(1, state);
            s.setString(2, state);
            s.setString(3, product);
            s.setString(4, product);
            s.setInt(5, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp cleared = rs.getTimestamp(14);
                    out.add(new AlarmView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getInt(7), rs.getDouble(8), rs.getDouble(9), rs.getInt(10), rs.getString(11), rs.getTimestamp(12).toInstant(),
                            rs.getTimestamp(13).toInstant(), cleared == null ? null : cleared.toInstant()));
                }
            }
        }
        return out;
    }
}
