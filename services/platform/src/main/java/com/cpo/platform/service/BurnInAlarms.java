package com.cpo.platform.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.events.BurnInAlarm;

/**
 * The lifecycle of burn-in alarms in PostgreSQL (V8): the analytics app's changes open, update and clear them, an
 * engineer acknowledges them with a note, and the unit's burn-in verdict closes them. Every change is kept as an event.
 * Storing a change twice changes nothing (its event id is unique).
 */
@ApplicationScoped
public class BurnInAlarms {

    /** Where an alarm is. */
    public enum State {
        OPEN, CLEARED, ACKNOWLEDGED, CLOSED
    }

    /** An alarm as listed. */
    public record AlarmView(long id, String runId, String serial, String product, String lot, String station, int slot, String kind,
            State state, List<Integer> channels, String message, Double value, Double limit, String unitOfMeasure, Double slopePerHour,
            Double hoursToLimit, Double projected, Instant raisedAt, Instant updatedAt, Instant clearedAt, Instant acknowledgedAt,
            String acknowledgedBy, String acknowledgementNote, Instant closedAt, String closedOutcome) {
    }

    /** One change of an alarm. */
    public record EventView(Instant at, String what, List<Integer> channels, String actor, String note) {
    }

    /** What an alarm list is filtered by; nulls do not filter. */
    public record Filter(State state, String kind, String station, String serial, String product, String lot, Instant from, Instant to) {
    }

    /** Open and acknowledged alarms now. */
    public record Counts(long open, long acknowledged) {
    }

    private static final String SELECT = "SELECT a.id, a.run_id, a.serial, u.product, u.lot, a.station, a.slot, a.kind, a.state, a.channels,"
            + " a.message, a.value, a.limit_value, a.unit_of_measure, a.slope_per_hour, a.hours_to_limit, a.projected, a.raised_at,"
            + " a.updated_at, a.cleared_at, a.acknowledged_at, a.acknowledged_by, a.acknowledgement_note, a.closed_at, a.closed_outcome"
            + " FROM burnin_alarms a LEFT JOIN units u ON u.serial = a.serial";

    private final DataSource database;
    private final Notifications notifications;

    BurnInAlarms(DataSource database, Notifications notifications) {
        this.database = database;
        this.notifications = notifications;
    }

    /** Applies one change from the analytics app; false when its event was stored before (a redelivery). */
    @Transactional
    public boolean apply(BurnInAlarm event) throws SQLException {
        try (Connection c = database.getConnection()) {
            if (exists(c, "SELECT 1 FROM burnin_alarm_events WHERE event_id = ?", event.getEventId())) {
                return false;
            }
            Long live = liveAlarm(c, event.getRunId(), event.getKind().name());
            String verdict = closingVerdict(c, event.getRunId());
            Timestamp at = Timestamp.from(event.getEventTime());
            Array channels = c.createArrayOf("integer", event.getChannels().toArray());
            long id;
            switch (event.getTransition()) {
                case RAISED, UPDATED -> {
                    if (live == null) {
                        id = insert(c, event, channels, at);
                        notifyRaised(c, event);
                    } else {
                        id = live;
                        update(c, id, event, channels, at);
                    }
                }
                case CLEARED -> {
                    if (live == null) {
                        return false; // nothing live to clear: it was closed already
                    }
                    id = live;
                    try (PreparedStatement s = c.prepareStatement("UPDATE burnin_alarms SET state = 'CLEARED', cleared_at = ?, updated_at = ?,"
                            + " message = ? WHERE id = ?")) {
                        s.setTimestamp(1, at);
                        s.setTimestamp(2, at);
                        s.setString(3, truncate(event.getMessage()));
                        s.setLong(4, id);
                        s.executeUpdate();
                    }
                }
                default -> throw new IllegalArgumentException("unknown alarm transition " + event.getTransition());
            }
            event(c, id, event.getEventId(), at, event.getTransition().name(), channels, null, null);
            if (verdict != null) { // the verdict came first (another topic): the alarm closes at once
                close(c, event.getRunId(), verdict, at);
            }
            return true;
        }
    }

    private void notifyRaised(Connection c, BurnInAlarm e) throws SQLException {
        String subject = "[CPO] Burn-in alarm " + e.getKind() + ": " + e.getSerial() + " (" + e.getStation() + " slot " + e.getSlot() + ", channels "
                + e.getChannels().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")";
        String body = e.getMessage() + "\n\nUnit " + e.getSerial() + ", run " + e.getRunId() + ", rack " + e.getStation() + " slot " + e.getSlot()
                + ", reading of " + e.getEventTime() + " (UTC).";
        java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("runId", e.getRunId());
        payload.put("serial", e.getSerial());
        payload.put("station", e.getStation());
        payload.put("slot", e.getSlot());
        payload.put("kind", e.getKind().name());
        payload.put("channels", List.copyOf(e.getChannels()));
        payload.put("eventTime", e.getEventTime().toString());
        payload.put("message", e.getMessage());
        notifications.enqueue(c, "BURNIN_ALARM", "burnin:" + e.getEventId(), subject, body, payload);
    }

    private static long insert(Connection c, BurnInAlarm e, Array channels, Timestamp at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO burnin_alarms (run_id, serial, station, slot, kind, state, channels, message,"
                + " value, limit_value, unit_of_measure, slope_per_hour, hours_to_limit, projected, raised_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            s.setString(1, e.getRunId());
            s.setString(2, e.getSerial());
            s.setString(3, e.getStation());
            s.setInt(4, e.getSlot());
            s.setString(5, e.getKind().name());
            s.setArray(6, channels);
            s.setString(7, truncate(e.getMessage()));
            finding(s, 8, e);
            s.setTimestamp(14, at);
            s.setTimestamp(15, at);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void update(Connection c, long id, BurnInAlarm e, Array channels, Timestamp at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE burnin_alarms SET channels = ?, message = ?, value = ?, limit_value = ?,"
                + " unit_of_measure = ?, slope_per_hour = ?, hours_to_limit = ?, projected = ?, updated_at = ? WHERE id = ?")) {
            s.setArray(1, channels);
            s.setString(2, truncate(e.getMessage()));
            finding(s, 3, e);
            s.setTimestamp(9, at);
            s.setLong(10, id);
            s.executeUpdate();
        }
    }

    /** value, limit, unit, slope, hours to limit, projected from parameter {@code first}. */
    private static void finding(PreparedStatement s, int first, BurnInAlarm e) throws SQLException {
        nullable(s, first, e.getValue());
        nullable(s, first + 1, e.getLimit());
        s.setString(first + 2, e.getUnitOfMeasure());
        nullable(s, first + 3, e.getSlopePerHour());
        nullable(s, first + 4, e.getHoursToLimit());
        nullable(s, first + 5, e.getProjected());
    }

    private static void nullable(PreparedStatement s, int index, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, v);
        }
    }

    private static void close(Connection c, String runId, String outcome, Timestamp at) throws SQLException {
        List<Long> closed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("UPDATE burnin_alarms SET state = 'CLOSED', closed_at = ?, closed_outcome = ?"
                + " WHERE run_id = ? AND state <> 'CLOSED' RETURNING id")) {
            s.setTimestamp(1, at);
            s.setString(2, outcome);
            s.setString(3, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    closed.add(rs.getLong(1));
                }
            }
        }
        for (long id : closed) {
            event(c, id, null, at, "CLOSED", null, null, "unit left the rack: " + outcome);
        }
    }

    /** Closes the alarms of a run whose burn-in verdict was just stored (in the verdict's transaction). */
    @Transactional
    public void verdictStored(String runId, String outcome, Instant at) throws SQLException {
        try (Connection c = database.getConnection()) {
            close(c, runId, outcome, Timestamp.from(at));
        }
    }

    /**
     * Closes any alarm whose run's verdict is stored: an alarm and its run's verdict stored at the same moment by the two
     * consumers each miss the other; this catches it within a minute.
     */
    @io.quarkus.scheduler.Scheduled(every = "60s", delayed = "60s", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void closeMissed() throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT a.run_id, v.outcome, v.event_time FROM burnin_alarms a"
                        + " JOIN verdicts v ON v.run_id = a.run_id WHERE a.state <> 'CLOSED'");
                ResultSet rs = s.executeQuery()) {
            List<Object[]> runs = new ArrayList<>();
            while (rs.next()) {
                runs.add(new Object[] {rs.getString(1), rs.getString(2), rs.getTimestamp(3)});
            }
            for (Object[] r : runs) {
                close(c, (String) r[0], (String) r[1], (Timestamp) r[2]);
            }
        }
    }

    /**
     * An engineer acknowledges an open alarm with a note.
     *
     * @throws NotFoundException when there is no such alarm
     * @throws ConflictException when it is not open
     */
    @Transactional
    public AlarmView acknowledge(long id, String engineer, String note) throws SQLException {
        if (note == null || note.isBlank()) {
            throw new InvalidRequestException("note", "an acknowledgement needs a note: what was seen or done");
        }
        if (note.length() > 1000) {
            throw new InvalidRequestException("note", "the note has " + note.length() + " characters; at most 1000");
        }
        try (Connection c = database.getConnection()) {
            AlarmView alarm = find(c, id);
            if (alarm.state() != State.OPEN) {
                throw new ConflictException("alarm " + id + " is " + alarm.state() + ", not OPEN: only an open alarm can be acknowledged");
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement s = c.prepareStatement("UPDATE burnin_alarms SET state = 'ACKNOWLEDGED', acknowledged_at = ?,"
                    + " acknowledged_by = ?, acknowledgement_note = ? WHERE id = ? AND state = 'OPEN'")) {
                s.setTimestamp(1, now);
                s.setString(2, engineer);
                s.setString(3, note.strip());
                s.setLong(4, id);
                if (s.executeUpdate() == 0) {
                    throw new ConflictException("alarm " + id + " changed meanwhile; look again");
                }
            }
            event(c, id, null, now, "ACKNOWLEDGED", null, engineer, note.strip());
            return find(c, id);
        }
    }

    /** Alarms matching a filter, latest raised first. */
    public Page<AlarmView> list(Filter f, int page, int size) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        condition(where, args, "a.state = ?", f.state() == null ? null : f.state().name());
        condition(where, args, "a.kind = ?", f.kind() == null ? null : f.kind().toUpperCase(Locale.ROOT));
        condition(where, args, "a.station = ?", f.station());
        condition(where, args, "a.serial = ?", f.serial());
        condition(where, args, "u.product = ?", f.product());
        condition(where, args, "u.lot = ?", f.lot());
        condition(where, args, "a.raised_at >= ?", f.from() == null ? null : Timestamp.from(f.from()));
        condition(where, args, "a.raised_at < ?", f.to() == null ? null : Timestamp.from(f.to()));
        try (Connection c = database.getConnection()) {
            long total;
            try (PreparedStatement s = prepare(c, "SELECT count(*) FROM burnin_alarms a LEFT JOIN units u ON u.serial = a.serial" + where, args)) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AlarmView> items = new ArrayList<>();
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(size);
            pageArgs.add((long) page * size);
            try (PreparedStatement s = prepare(c, SELECT + where + " ORDER BY a.raised_at DESC, a.id DESC LIMIT ? OFFSET ?", pageArgs);
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    items.add(view(rs));
                }
            }
            return new Page<>(items, page, size, total);
        }
    }

    /** One alarm with every change it went through. */
    public record Detail(AlarmView alarm, List<EventView> history) {
    }

    public Detail detail(long id) throws SQLException {
        try (Connection c = database.getConnection()) {
            AlarmView alarm = find(c, id);
            List<EventView> history = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT at, what, channels, actor, note FROM burnin_alarm_events WHERE alarm_id = ?"
                    + " ORDER BY id")) { // the order the service learned them
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        history.add(new EventView(rs.getTimestamp(1).toInstant(), rs.getString(2), ints(rs.getArray(3)), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return new Detail(alarm, history);
        }
    }

    /** Open and acknowledged alarms, of a product and lot when given. */
    public Counts counts(String product, String lot) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE a.state IN ('OPEN', 'ACKNOWLEDGED')");
        List<Object> args = new ArrayList<>();
        condition(where, args, "u.product = ?", product);
        condition(where, args, "u.lot = ?", lot);
        try (Connection c = database.getConnection();
                PreparedStatement s = prepare(c, "SELECT count(*) FILTER (WHERE a.state = 'OPEN'), count(*) FILTER (WHERE a.state = 'ACKNOWLEDGED')"
                        + " FROM burnin_alarms a LEFT JOIN units u ON u.serial = a.serial" + where, args);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2));
        }
    }

    private static AlarmView find(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE a.id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("no burn-in alarm " + id);
                }
                return view(rs);
            }
        }
    }

    private static AlarmView view(ResultSet rs) throws SQLException {
        return new AlarmView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                rs.getString(8), State.valueOf(rs.getString(9)), ints(rs.getArray(10)), rs.getString(11), dbl(rs, 12), dbl(rs, 13),
                rs.getString(14), dbl(rs, 15), dbl(rs, 16), dbl(rs, 17), instant(rs, 18), instant(rs, 19), instant(rs, 20), instant(rs, 21),
                rs.getString(22), rs.getString(23), instant(rs, 24), rs.getString(25));
    }

    private static List<Integer> ints(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.stream((Integer[]) a.getArray()).toList();
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
        if (value != null) {
            where.append(" AND ").append(sql);
            args.add(value);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
        return s;
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Long liveAlarm(Connection c, String runId, String kind) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM burnin_alarms WHERE run_id = ? AND kind = ? AND state IN ('OPEN', 'ACKNOWLEDGED')"
                + " FOR UPDATE")) {
            s.setString(1, runId);
            s.setString(2, kind);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** The outcome of the run's verdict when it is stored already, else null. */
    private static String closingVerdict(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT outcome FROM verdicts WHERE run_id = ? LIMIT 1")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void event(Connection c, long alarmId, String eventId, Timestamp at, String what, Array channels, String actor, String note)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO burnin_alarm_events (alarm_id, event_id, at, what, channels, actor, note)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, alarmId);
            s.setString(2, eventId);
            s.setTimestamp(3, at);
            s.setString(4, what);
            if (channels == null) {
                s.setNull(5, Types.ARRAY);
            } else {
                s.setArray(5, channels);
            }
            s.setString(6, actor);
            s.setString(7, note);
            s.executeUpdate();
        }
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }
}
