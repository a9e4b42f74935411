package com.cpo.platform.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The month partitions of {@code runs} (by start), {@code alignment_values} and {@code alignment_scans} (by measurement time) and
 * {@code burnin_readings} (by reading time), UTC months named
 * {@code <table>_yYYYYmMM}. A partition is made before the first row that needs it ({@link #ensure}), in a
 * transaction of its own so the caller's never holds the DDL; retention detaches and drops whole months.
 */
@ApplicationScoped
public class PartitionMaintenance {

    public static final String RUNS = "runs";
    public static final String ALIGNMENT_VALUES = "alignment_values";
    public static final String BURNIN_READINGS = "burnin_readings";
    public static final String ALIGNMENT_SCANS = "alignment_scans";
    public static final List<String> TABLES = List.of(RUNS, ALIGNMENT_VALUES, BURNIN_READINGS, ALIGNMENT_SCANS);
    /** The tables {@link #storage} reports. */
    static final List<String> STORED = List.of("units", "verdicts", "failed_checks", "unit_yield", "unit_station_yield", RUNS,
            ALIGNMENT_VALUES, "burnin_channel_summaries", BURNIN_READINGS, ALIGNMENT_SCANS, "processed_events", "operator_records");

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);
    private static final Pattern NAME = Pattern.compile("(.+)_y(\\d{4})m(\\d{2})");

    private final AgroalDataSource dataSource;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    PartitionMaintenance(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Makes sure {@code table} has the partition of the month of {@code at}; cheap when it is known to. */
    public void ensure(String table, Instant at) {
        String key = table + "|" + YearMonth.from(at.atOffset(ZoneOffset.UTC));
        if (known.contains(key)) {
            return;
        }
        // outside the caller's transaction (suspended), on a connection of its own in autocommit: the partition is there
        // for every transaction from now on, whatever becomes of the caller's
        QuarkusTransaction.suspendingExisting().run(() -> create(table, at));
        known.add(key);
    }

    private void create(String table, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("SELECT cpo_ensure_month_partition(?, ?)")) {
                s.setString(1, table);
                s.setObject(2, at.atOffset(ZoneOffset.UTC));
                s.execute();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the " + table + " partition for " + at + ": " + e.getMessage(), e);
        }
    }

    /** A month partition of a table. */
    public record Partition(String table, String name, YearMonth month) {

        /** Where its range ends (exclusive). */
        public Instant end() {
            return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    /** The month partitions of {@code table}, oldest first. */
    public List<Partition> partitions(String table) {
        List<Partition> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits i
                JOIN pg_class parent ON parent.oid = i.inhparent JOIN pg_class child ON child.oid = i.inhrelid
                WHERE parent.oid = to_regclass(?) ORDER BY child.relname""")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Matcher m = NAME.matcher(rs.getString(1));
                    if (m.matches() && m.group(1).equals(table)) {
                        out.add(new Partition(table, rs.getString(1), YearMonth.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the partitions of " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A table or partition on disk: its estimated rows (PostgreSQL's statistics) and bytes with its indexes. */
    public record Stored(String name, YearMonth month, long rowsEstimate, long bytes) {
    }

    /**
     * The data tables as they are on disk: {@code runs} and {@code alignment_values} with each month partition, the others
     * whole; oldest partition first.
     */
    public Map<String, List<Stored>> storage() {
        Map<String, List<Stored>> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT coalesce(parent.relname, t.relname), t.relname, greatest(t.reltuples, 0)::bigint, pg_total_relation_size(t.oid)
                FROM pg_class t
                LEFT JOIN pg_inherits i ON i.inhrelid = t.oid LEFT JOIN pg_class parent ON parent.oid = i.inhparent
                WHERE t.relkind = 'r' AND t.relnamespace = to_regnamespace(current_schema())
                  AND coalesce(parent.relname, t.relname) = ANY (?)
                ORDER BY 1, 2""")) {
            s.setArray(1, c.createArrayOf("text", STORED.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Matcher m = NAME.matcher(rs.getString(2));
                    YearMonth month = m.matches() ? YearMonth.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))) : null;
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Stored(rs.getString(2), month, rs.getLong(3),
                            rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tables' sizes: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Detaches (concurrently: inserts and queries go on) and drops every month partition of {@code table} that ends at or
     * before {@code cutoff}; returns the partitions dropped.
     */
    public List<Partition> dropEndingBefore(String table, Instant cutoff) {
        List<Partition> dropped = new ArrayList<>();
        for (Partition p : partitions(table)) {
            if (p.end().isAfter(cutoff)) {
                continue;
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true); // DETACH ... CONCURRENTLY may not run in a transaction block
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE " + table + " DETACH PARTITION " + p.name() + " CONCURRENTLY");
                    s.execute("DROP TABLE " + p.name());
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop partition " + p.name() + ": " + e.getMessage(), e);
            }
            known.remove(table + "|" + p.month());
            LOG.infof("retention: dropped %s (%s, %s)", p.name(), table, p.month());
            dropped.add(p);
        }
        return dropped;
    }

    /**
     * Deletes rows of an unpartitioned table older than {@code cutoff} by {@code timeColumn}, 10,000 per transaction so
     * no lock is held long; returns how many.
     */
    public long deleteOlderThan(String table, String timeColumn, Instant cutoff) {
        if (!Set.of("processed_events", "burnin_channel_summaries").contains(table)) {
            throw new IllegalArgumentException("no row retention for " + table);
        }
        long deleted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE "
                    + timeColumn + " < ? LIMIT 10000)")) {
                s.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                int n;
                do {
                    n = s.executeUpdate();
                    deleted += n;
                } while (n == 10_000);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete old rows of " + table + ": " + e.getMessage(), e);
        }
        return deleted;
    }
}
