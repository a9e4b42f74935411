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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.spc.ControlBaseline;
import com.cpo.domain.spc.Subgroup;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcChannelBaseline;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;

/**
 * Control charts of final coupling loss (V9): stores the analytics app's points and violations, freezes versioned
 * baselines from the stored points of a period (the domain's {@link ControlBaseline}) and publishes them, and answers
 * a chart with its limits and violations.
 */
@ApplicationScoped
public class SpcService {

    /** One point of a chart. */
    public record PointView(Instant hourStart, long n, double meanDb, Double stdDevDb, Integer baselineVersion, Double centreDb,
            Double lowerControlLimitDb, Double upperControlLimitDb, Double z, List<String> violations) {
    }

    /** One channel of a baseline. */
    public record ChannelBaselineView(int channel, double centreDb, double sigmaDb, int subgroups, long units) {
    }

    /** A baseline version. */
    public record BaselineView(String product, String station, int version, Instant periodStart, Instant periodEnd, String frozenBy,
            Instant frozenAt, String reason, List<ChannelBaselineView> channels, Map<Integer, String> channelsLeftOut) {
    }

    /** A chart: its points in time order and the baseline in force now (null before the first). */
    public record ChartView(String product, String station, int channel, BaselineView baseline, List<PointView> points) {
    }

    /** A violation as stored. */
    public record ViolationView(String eventId, String product, String station, int channel, Instant hourStart, String rule, long n,
            double meanDb, double z, double centreDb, double lowerControlLimitDb, double upperControlLimitDb, int baselineVersion,
            String message) {
    }

    private final DataSource database;
    private final SpcBaselineReleases publisher;
    private final Notifications notifications;

    SpcService(DataSource database, SpcBaselineReleases publisher, Notifications notifications) {
        this.database = database;
        this.publisher = publisher;
        this.notifications = notifications;
    }

    /** Stores a point, replacing an earlier one of the same subgroup. */
    @Transactional
    public void store(SpcPoint p) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO spc_points (product, station,"
                + " channel, hour_start, n, mean_db, std_dev_db, baseline_version, centre_db, lcl_db, ucl_db, z, violations)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product, station, channel, hour_start) DO UPDATE SET"
                + " n = excluded.n, mean_db = excluded.mean_db, std_dev_db = excluded.std_dev_db, baseline_version = excluded.baseline_version,"
                + " centre_db = excluded.centre_db, lcl_db = excluded.lcl_db, ucl_db = excluded.ucl_db, z = excluded.z,"
                + " violations = excluded.violations")) {
            s.setString(1, p.getProduct());
            s.setString(2, p.getStation());
            s.setInt(3, p.getChannel());
            s.setTimestamp(4, Timestamp.from(p.getHourStart()));
            s.setLong(5, p.getN());
            s.setDouble(6, p.getMeanDb());
            nullable(s, 7, p.getStdDevDb());
            if (p.getBaselineVersion() == null) {
                s.setNull(8, Types.INTEGER);
            } else {
                s.setInt(8, p.getBaselineVersion());
            }
            nullable(s, 9, p.getCentreDb());
            nullable(s, 10, p.getLowerControlLimitDb());
            nullable(s, 11, p.getUpperControlLimitDb());
            nullable(s, 12, p.getZ());
            s.setArray(13, c.createArrayOf("varchar", p.getViolations().stream().map(Enum::name).toArray()));
            s.executeUpdate();
        }
    }

    /** Stores a violation once. */
    @Transactional
    public void store(SpcViolation v) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO spc_violations (event_id, product,"
                + " station, channel, hour_start, rule, n, mean_db, z, centre_db, lcl_db, ucl_db, baseline_version, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")) {
            s.setString(1, v.getEventId());
            s.setString(2, v.getProduct());
            s.setString(3, v.getStation());
            s.setInt(4, v.getChannel());
            s.setTimestamp(5, Timestamp.from(v.getHourStart()));
            s.setString(6, v.getRule().name());
            s.setLong(7, v.getN());
            s.setDouble(8, v.getMeanDb());
            s.setDouble(9, v.getZ());
            s.setDouble(10, v.getCentreDb());
            s.setDouble(11, v.getLowerControlLimitDb());
            s.setDouble(12, v.getUpperControlLimitDb());
            s.setInt(13, v.getBaselineVersion());
            s.setString(14, v.getMessage().length() <= 1000 ? v.getMessage() : v.getMessage().substring(0, 1000));
            if (s.executeUpdate() == 1) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("product", v.getProduct());
                payload.put("station", v.getStation());
                payload.put("channel", v.getChannel());
                payload.put("hourStart", v.getHourStart().toString());
                payload.put("rule", v.getRule().name());
                payload.put("meanDb", v.getMeanDb());
                payload.put("z", v.getZ());
                payload.put("baselineVersion", v.getBaselineVersion());
                notifications.enqueue(c, "SPC_VIOLATION", "spc:" + v.getEventId(), "[CPO] SPC " + v.getRule() + ": " + v.getProduct() + " at "
                        + v.getStation() + ", channel " + v.getChannel(), v.getMessage(), payload);
            }
        }
    }

    /**
     * Freezes the next baseline version of a product at a station from the stored points of a period, per channel; a
     * channel with fewer than {@link ControlBaseline#MIN_SUBGROUPS} hourly subgroups is left out (and said so); none left
     * is a 400. Published before the transaction commits: a failed publication rolls the version back.
     */
    @Transactional
    public BaselineView freeze(String product, String station, Instant from, Instant to, String reason, String engineer) throws SQLException {
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("to", "the baseline period must end after it starts: from " + from + ", to " + to);
        }
        Map<Integer, List<Subgroup>> byChannel = new TreeMap<>();
        try (Connection c = database.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT channel, n, mean_db, std_dev_db FROM spc_points WHERE product = ? AND station = ?"
                    + " AND hour_start >= ? AND hour_start < ? ORDER BY channel, hour_start")) {
                s.setString(1, product);
                s.setString(2, station);
                s.setTimestamp(3, Timestamp.from(from));
                s.setTimestamp(4, Timestamp.from(to));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        double sd = rs.getDouble(4);
                        byChannel.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
                                .add(new Subgroup(rs.getLong(2), rs.getDouble(3), rs.wasNull() ? Double.NaN : sd));
                    }
                }
            }
            List<SpcChannelBaseline> channels = new ArrayList<>();
            Map<Integer, String> leftOut = new LinkedHashMap<>();
            byChannel.forEach((channel, subgroups) -> {
                try {
                    ControlBaseline b = ControlBaseline.of(subgroups);
                    channels.add(SpcChannelBaseline.newBuilder().setChannel(channel).setCentreDb(b.centre()).setSigmaDb(b.sigma())
                            .setSubgroups(b.subgroups()).setUnits(b.units()).build());
                } catch (IllegalArgumentException e) {
                    leftOut.put(channel, e.getMessage());
                }
            });
            if (channels.isEmpty()) {
                throw new InvalidRequestException("from", "no channel of " + product + " at " + station + " has a baseline in " + from + " .. " + to
                        + (byChannel.isEmpty() ? ": no hourly subgroups stored in the period" : ": " + leftOut));
            }
            int version;
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(version), 0) + 1 FROM spc_baselines WHERE product = ? AND station = ?")) {
                s.setString(1, product);
                s.setString(2, station);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            Instant now = Instant.now();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO spc_baselines (product, station, version, period_start, period_end,"
                    + " frozen_by, frozen_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, product);
                s.setString(2, station);
                s.setInt(3, version);
                s.setTimestamp(4, Timestamp.from(from));
                s.setTimestamp(5, Timestamp.from(to));
                s.setString(6, engineer);
                s.setTimestamp(7, Timestamp.from(now));
                s.setString(8, reason);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO spc_baseline_channels (product, station, version, channel, centre_db,"
                    + " sigma_db, subgroups, units) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (SpcChannelBaseline ch : channels) {
                    s.setString(1, product);
                    s.setString(2, station);
                    s.setInt(3, version);
                    s.setInt(4, ch.getChannel());
                    s.setDouble(5, ch.getCentreDb());
                    s.setDouble(6, ch.getSigmaDb());
                    s.setInt(7, ch.getSubgroups());
                    s.setLong(8, ch.getUnits());
                    s.addBatch();
                }
                s.executeBatch();
            }
            publisher.publish(SpcBaseline.newBuilder().setEventId(product + "|" + station + "@" + version).setProduct(product).setStation(station)
                    .setVersion(version).setPeriodStart(from).setPeriodEnd(to).setFrozenBy(engineer).setFrozenAt(now).setReason(reason)
                    .setChannels(channels).build());
            BaselineView frozen = baselines(c, product, station, version).get(0);
            return new BaselineView(frozen.product(), frozen.station(), frozen.version(), frozen.periodStart(), frozen.periodEnd(),
                    frozen.frozenBy(), frozen.frozenAt(), frozen.reason(), frozen.channels(), leftOut);
        }
    }

    /** Every baseline version of a product at a station, newest first. */
    public List<BaselineView> baselines(String product, String station) throws SQLException {
        try (Connection c = database.getConnection()) {
            return baselines(c, product, station, null);
        }
    }

    private static List<BaselineView> baselines(Connection c, String product, String station, Integer version) throws SQLException {
        List<BaselineView> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT version, period_start, period_end, frozen_by, frozen_at, reason FROM spc_baselines"
                + " WHERE product = ? AND station = ? AND (?::integer IS NULL OR version = ?) ORDER BY version DESC")) {
            s.setString(1, product);
            s.setString(2, station);
            s.setObject(3, version, Types.INTEGER);
            s.setObject(4, version, Types.INTEGER);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new BaselineView(product, station, rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), new ArrayList<>(), Map.of()));
                }
            }
        }
        for (BaselineView b : out) {
            try (PreparedStatement s = c.prepareStatement("SELECT channel, centre_db, sigma_db, subgroups, units FROM spc_baseline_channels"
                    + " WHERE product = ? AND station = ? AND version = ? ORDER BY channel")) {
                s.setString(1, product);
                s.setString(2, station);
                s.setInt(3, b.version());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        b.channels().add(new ChannelBaselineView(rs.getInt(1), rs.getDouble(2), rs.getDouble(3), rs.getInt(4), rs.getLong(5)));
                    }
                }
            }
        }
        return out;
    }

    /** A channel's chart over a period: its points, oldest first, and the newest baseline. */
    public ChartView chart(String product, String station, int channel, Instant from, Instant to) throws SQLException {
        try (Connection c = database.getConnection()) {
            List<BaselineView> all = baselines(c, product, station, null);
            List<PointView> points = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT hour_start, n, mean_db, std_dev_db, baseline_version, centre_db, lcl_db, ucl_db,"
                    + " z, violations FROM spc_points WHERE product = ? AND station = ? AND channel = ? AND hour_start >= ? AND hour_start < ?"
                    + " ORDER BY hour_start")) {
                s.setString(1, product);
                s.setString(2, station);
                s.setInt(3, channel);
                s.setTimestamp(4, Timestamp.from(from));
                s.setTimestamp(5, Timestamp.from(to));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Array violations = rs.getArray(10);
                        int version = rs.getInt(5);
                        Integer baselineVersion = rs.wasNull() ? null : version;
                        points.add(new PointView(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getDouble(3), dbl(rs, 4), baselineVersion,
                                dbl(rs, 6), dbl(rs, 7), dbl(rs, 8), dbl(rs, 9), Arrays.asList((String[]) violations.getArray())));
                    }
                }
            }
            return new ChartView(product, station, channel, all.isEmpty() ? null : all.get(0), points);
        }
    }

    /** At most this many points go into a workbook's control-chart sheet: the latest. */
    public static final int REPORT_POINTS = 50_000;

    /**
     * The points of a report's scope (product and station when given, start hour in [from, to) when given), sorted by
     * product, station, channel and hour: at most {@link #REPORT_POINTS}, the latest.
     */
    public List<com.cpo.platform.report.ControlChartSheet.Point> points(String product, String station, Instant from, Instant to) {
        List<com.cpo.platform.report.ControlChartSheet.Point> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT * FROM (SELECT product, station, channel,"
                + " hour_start, n, mean_db, std_dev_db, baseline_version, centre_db, lcl_db, ucl_db, z, array_to_string(violations, ', ')"
                + " FROM spc_points WHERE (?::varchar IS NULL OR product = ?) AND (?::varchar IS NULL OR station = ?)"
                + " AND (?::timestamptz IS NULL OR hour_start >= ?) AND (?::timestamptz IS NULL OR hour_start < ?)"
                + " ORDER BY hour_start DESC LIMIT " + REPORT_POINTS + ") latest ORDER BY product, station, channel, hour_start")) {
            s.setString(1, product);
            s.setString(2, product);
            s.setString(3, station);
            s.setString(4, station);
            Timestamp f = from == null ? null : Timestamp.from(from);
            Timestamp t = to == null ? null : Timestamp.from(to);
            s.setTimestamp(5, f);
            s.setTimestamp(6, f);
            s.setTimestamp(7, t);
            s.setTimestamp(8, t);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int version = rs.getInt(8);
                    Integer baselineVersion = rs.wasNull() ? null : version;
                    out.add(new com.cpo.platform.report.ControlChartSheet.Point(rs.getString(1), rs.getString(2), rs.getInt(3),
                            rs.getTimestamp(4).toInstant(), rs.getLong(5), rs.getDouble(6), dbl(rs, 7), baselineVersion, dbl(rs, 9), dbl(rs, 10),
                            dbl(rs, 11), dbl(rs, 12), rs.getString(13)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the control-chart points: " + e.getMessage(), e);
        }
        return out;
    }

    /** Violations, newest first, of a product (and station) in a period. */
    public Page<ViolationView> violations(String product, String station, Instant from, Instant to, int page, int size) throws SQLException {
        String where = " WHERE (?::varchar IS NULL OR product = ?) AND (?::varchar IS NULL OR station = ?) AND hour_start >= ? AND hour_start < ?";
        try (Connection c = database.getConnection()) {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM spc_violations" + where)) {
                bind(s, product, station, from, to);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<ViolationView> items = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT event_id, product, station, channel, hour_start, rule, n, mean_db, z, centre_db,"
                    + " lcl_db, ucl_db, baseline_version, message FROM spc_violations" + where + " ORDER BY hour_start DESC, event_id LIMIT ? OFFSET ?")) {
                bind(s, product, station, from, to);
                s.setInt(7, size);
                s.setLong(8, (long) page * size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(new ViolationView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                                rs.getString(6), rs.getLong(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11),
                                rs.getDouble(12), rs.getInt(13), rs.getString(14)));
                    }
                }
            }
            return new Page<>(items, page, size, total);
        }
    }

    private static void bind(PreparedStatement s, String product, String station, Instant from, Instant to) throws SQLException {
        s.setString(1, product);
        s.setString(2, product);
        s.setString(3, station);
        s.setString(4, station);
        s.setTimestamp(5, Timestamp.from(from));
        s.setTimestamp(6, Timestamp.from(to));
    }

    private static Double dbl(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static void nullable(PreparedStatement s, int index, Double v) throws SQLException {
        if (v == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, v);
        }
    }
}
