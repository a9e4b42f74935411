package com.cpo.platform.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.cpo.domain.Dpat;

/**
 * What DPAT reads: passing ALIGN runs with their final coupling loss per channel (a lot's, or a station's around a
 * period), and the products' settings ({@code dpat_settings}).
 */
@ApplicationScoped
public class DpatRepository {

    /** A passing run and its coupling loss at {@link Dpat#STEP} by channel (index 0 = channel 1; NaN: not measured). */
    public record PassingRun(String runId, String serial, String lot, String station, Instant start, double[] finalLossDb) {
    }

    private static final String SELECT = """
            SELECT r.run_id, u.serial, u.lot, r.station, r.started_at, v.channels, v.losses
              FROM verdicts vd
              JOIN units u ON u.id = vd.unit_id
              JOIN runs r ON r.run_id = vd.run_id AND r.started_at = vd.run_start_time
              LEFT JOIN LATERAL (SELECT array_agg(a.channel) AS channels, array_agg(a.coupling_loss_db) AS losses
                                   FROM alignment_values a
                                  WHERE a.run_id = r.run_id AND a.step = '%s' AND a.measured_at >= r.started_at - interval '1 day'
                                    AND a.measured_at < r.started_at + interval '1 day') v ON true -- StoredRuns.MEASUREMENT_MARGIN
             WHERE vd.operation = 'ALIGN' AND vd.outcome = 'PASS' AND u.product = ?""".formatted(Dpat.STEP);

    private final DataSource database;

    DpatRepository(DataSource database) {
        this.database = database;
    }

    /** The passing runs of a lot, by start. */
    public List<PassingRun> ofLot(String product, String lot, int channels) {
        return query(SELECT + " AND u.lot = ? ORDER BY r.started_at, r.run_id", channels, product, lot);
    }

    /** The {@code before} passing runs of a station before {@code from}, then all of them in [from, to], by start. */
    public List<PassingRun> atStation(String product, String station, Instant from, Instant to, int before, int channels) {
        List<PassingRun> earlier = new ArrayList<>(query(SELECT + " AND r.station = ? AND r.started_at < ? ORDER BY r.started_at DESC, r.run_id DESC LIMIT ?",
                channels, product, station, from.atOffset(ZoneOffset.UTC), before));
        java.util.Collections.reverse(earlier);
        earlier.addAll(query(SELECT + " AND r.station = ? AND r.started_at >= ? AND r.started_at <= ? ORDER BY r.started_at, r.run_id", channels,
                product, station, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)));
        return earlier;
    }

    /** Products, lots and stations with passing ALIGN runs started in [from, to): {product, lot, station} rows. */
    public List<String[]> scopes(String product, Instant from, Instant to) {
        String sql = "SELECT DISTINCT u.product, u.lot, r.station FROM verdicts vd JOIN units u ON u.id = vd.unit_id JOIN runs r ON r.run_id = vd.run_id AND r.started_at = vd.run_start_time "
                + "WHERE vd.operation = 'ALIGN' AND vd.outcome = 'PASS' AND vd.run_start_time >= ? AND vd.run_start_time < ?"
                + (product == null ? "" : " AND u.product = ?");
        List<String[]> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, from.atOffset(ZoneOffset.UTC));
            s.setObject(2, to.atOffset(ZoneOffset.UTC));
            if (product != null) {
                s.setString(3, product);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the lots and stations of DPAT: " + e.getMessage(), e);
        }
        return out;
    }

    private List<PassingRun> query(String sql, int channels, Object... args) {
        List<PassingRun> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    double[] loss = new double[channels];
                    java.util.Arrays.fill(loss, Double.NaN);
                    Object[] ch = array(rs.getArray(6));
                    Object[] values = array(rs.getArray(7));
                    for (int i = 0; i < ch.length; i++) {
                        int channel = ((Number) ch[i]).intValue();
                        if (channel >= 1 && channel <= channels) {
                            loss[channel - 1] = ((Number) values[i]).doubleValue();
                        }
                    }
                    out.add(new PassingRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), loss));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read passing runs for DPAT: " + e.getMessage(), e);
        }
        return out;
    }

    private static Object[] array(Array a) throws SQLException {
        return a == null ? new Object[0] : (Object[]) a.getArray();
    }

    /** A product's settings and who set them last; empty: the defaults apply. */
    public record StoredSettings(String product, Dpat.Settings settings, String updatedBy, Instant updatedAt) {
    }

    public Optional<StoredSettings> settings(String product) {
        List<StoredSettings> found = settings("WHERE product = ?", product);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<StoredSettings> allSettings() {
        return settings("ORDER BY product", null);
    }

    private List<StoredSettings> settings(String where, String product) {
        List<StoredSettings> out = new ArrayList<>();
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT product, enabled, k, min_population, basis, window_runs, updated_by, updated_at "
                        + "FROM dpat_settings " + where)) {
            if (product != null) {
                s.setString(1, product);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredSettings(rs.getString(1), new Dpat.Settings(rs.getBoolean(2), rs.getDouble(3), rs.getInt(4),
                            Dpat.Basis.valueOf(rs.getString(5)), rs.getInt(6)), rs.getString(7), rs.getTimestamp(8).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read DPAT settings: " + e.getMessage(), e);
        }
        return out;
    }

    public void save(String product, Dpat.Settings settings, String user) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO dpat_settings (product, enabled, k, min_population, basis, window_runs, updated_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (product) DO UPDATE SET enabled = excluded.enabled, k = excluded.k, "
                        + "min_population = excluded.min_population, basis = excluded.basis, window_runs = excluded.window_runs, "
                        + "updated_by = excluded.updated_by, updated_at = now()")) {
            s.setString(1, product);
            s.setBoolean(2, settings.enabled());
            s.setDouble(3, settings.k());
            s.setInt(4, settings.minPopulation());
            s.setString(5, settings.basis().name());
            s.setInt(6, settings.window());
            s.setString(7, user);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save the DPAT settings of " + product + ": " + e.getMessage(), e);
        }
    }
}
