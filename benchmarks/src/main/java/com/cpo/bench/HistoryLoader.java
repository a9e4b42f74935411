package com.cpo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A year of one CPO line, written straight into the platform's tables with {@code COPY} (not through Kafka): units in
 * lots of 1,000 (a lot is one product: 80 % CPO-OE32 with 32 channels, 20 % CPO-OE16), an ALIGN run each at one of
 * eight alignment stations with retests at the rework station, then BURNIN for the units that passed, at one of six
 * racks, with its retests; the verdicts and failed checks of every run, the runs as the stations reported them, and the
 * coupling loss and PDL of every channel at the three alignment steps. Deterministic: unit i is the same in every run.
 * The yield rows are left to the service, which folds stored verdicts in at start, as after an upgrade.
 */
final class HistoryLoader {

    static final Instant YEAR_START = Instant.parse("2025-12-01T00:00:00Z");
    static final Instant YEAR_END = Instant.parse("2026-12-01T00:00:00Z");
    static final int LOT_SIZE = 1_000;
    static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");
    private static final double[] STEP_MEAN_DB = {1.20, 0.98, 1.05};

    /** What was loaded. */
    record Counts(long units, long runs, long alignRuns, long verdicts, long failedChecks, long alignmentValues) {
    }

    private final int units;
    /** Only CPO-OE16 and only ALIGN (the what-if benchmark's data); else the product mix and burn-in above. */
    private final boolean alignmentOnly;

    HistoryLoader(int units) {
        this(units, false);
    }

    HistoryLoader(int units, boolean alignmentOnly) {
        this.units = units;
        this.alignmentOnly = alignmentOnly;
    }

    static String serial(int i) {
        return String.format(Locale.ROOT, "SN%07d", i);
    }

    static String lot(int i) {
        return String.format(Locale.ROOT, "LOT-%04d", i / LOT_SIZE);
    }

    static String product(int i) {
        return (i / LOT_SIZE) % 5 == 0 ? "CPO-OE16" : "CPO-OE32";
    }

    static int channels(String product) {
        return product.equals("CPO-OE16") ? 16 : 32;
    }

    /** When unit i's first ALIGN run starts: units spread evenly over the year, with a few minutes' jitter. */
    static Instant firstStart(int i, int units, Random r) {
        long span = Duration.between(YEAR_START, YEAR_END).toMillis() - 2 * 86_400_000L;
        return YEAR_START.plusMillis(span * i / units + r.nextInt(300_000));
    }

    /** Loads the year; returns what it wrote. Indexes of alignment_values are dropped during the load and rebuilt after. */
    Counts load(DataSource dataSource) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            return load(c, dataSource);
        }
    }

    private Counts load(Connection c, DataSource dataSource) throws SQLException, IOException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            for (YearMonth m = YearMonth.from(YEAR_START.atOffset(ZoneOffset.UTC)); !m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                    .isAfter(YEAR_END); m = m.plusMonths(1)) {
                Instant at = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
                s.execute("SELECT cpo_ensure_month_partition('runs', '" + at + "'), cpo_ensure_month_partition('alignment_values', '" + at + "')");
            }
        }
        List<String> rebuild = dropIndexes(c, "alignment_values");
        Copy unitsCopy = new Copy(dataSource, "COPY units (id, product, serial, lot) FROM STDIN");
        Copy verdicts = new Copy(dataSource, "COPY verdicts (id, event_id, run_id, unit_id, operation, attempt, station, run_start_time, event_time, "
                + "outcome, limit_set_id, limit_set_version, reason) FROM STDIN");
        Copy checks = null;
        Copy runs = null;
        Copy values = null;
        long verdictId = 0;
        long runCount = 0;
        long alignRuns = 0;
        long checkCount = 0;
        long valueCount = 0;
        List<String[]> failed = new ArrayList<>();
        List<String> runRows = new ArrayList<>();
        long started = System.nanoTime();
        // units and verdicts first (failed checks and runs need them), then runs and values in a second pass of the same generator
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                unitsCopy.end();
                verdicts.end();
                checks = new Copy(dataSource, "COPY failed_checks (verdict_id, parameter, step, channel, value, lower_limit, upper_limit, unit_of_measure) "
                        + "FROM STDIN");
                runs = new Copy(dataSource, "COPY runs (run_id, unit_id, operation, attempt, station, operator, limit_set_id, channel_count, started_at, "
                        + "started_event_id, completed_at, aborted, measurement_events) FROM STDIN");
                values = new Copy(dataSource, "COPY alignment_values (run_id, serial, station, step, channel, coupling_loss_db, pdl_db, measured_at, "
                        + "event_id) FROM STDIN");
            }
            verdictId = 0;
            for (int i = 0; i < units; i++) {
                Random r = new Random(31L * i + 7);
                String serial = serial(i);
                String product = alignmentOnly ? "CPO-OE16" : product(i);
                String lot = lot(i);
                int channels = channels(product);
                long unitId = i + 1L;
                if (pass == 0) {
                    unitsCopy.row(unitId, product, serial, lot);
                }
                failed.clear();
                runRows.clear();
                Instant t = firstStart(i, units, r);
                // ALIGN: first run at an alignment station, up to two retests at the rework station
                boolean passedAlign = false;
                for (int attempt = 1; attempt <= 3 && !passedAlign; attempt++) {
                    String station = attempt == 1 ? String.format(Locale.ROOT, "AA-%02d", 1 + r.nextInt(8)) : "RW-01";
                    double x = r.nextDouble();
                    String outcome = attempt == 1 ? (x < 0.91 ? "PASS" : x < 0.98 ? "FAIL" : "INCOMPLETE") : (x < 0.85 ? "PASS" : "FAIL");
                    String runId = serial + "-ALIGN-" + attempt;
                    verdictId++;
                    int badChannel = 1 + r.nextInt(channels);
                    double badLoss = 2.05 + r.nextInt(600) / 1000.0;
                    int steps = outcome.equals("INCOMPLETE") ? 1 + r.nextInt(2) : 3;
                    if (pass == 0) {
                        verdicts.row(verdictId, "v:" + runId, runId, unitId, "ALIGN", attempt, station, t, t.plusSeconds(900), outcome,
                                product + "/ALIGN", outcome.equals("INCOMPLETE") ? null : 1, outcome.equals("INCOMPLETE") ? "aborted by operator" : null);
                    } else {
                        if (outcome.equals("FAIL")) {
                            checks.row(verdictId, "coupling_loss", "POST_THERMAL", badChannel, badLoss, null, 2.0, "dB");
                            checkCount++;
                        }
                        runs.row(runId, unitId, "ALIGN", attempt, station, "op-" + (i % 40), product + "/ALIGN", channels, t, "s:" + runId,
                                t.plusSeconds(900), outcome.equals("INCOMPLETE"), 3);
                        runCount++;
                        alignRuns++;
                        Random rv = new Random(runId.hashCode());
                        for (int step = 0; step < steps; step++) {
                            Instant measured = t.plusSeconds(120 + 240L * step);
                            String eventId = "a:" + runId + ":" + STEPS.get(step);
                            for (int ch = 1; ch <= channels; ch++) {
                                double loss = step == 2 && ch == badChannel && outcome.equals("FAIL") ? badLoss
                                        : Math.max(0.3, Math.round((STEP_MEAN_DB[step] + 0.15 * rv.nextGaussian()) * 1000) / 1000.0);
                                values.row(runId, serial, station, STEPS.get(step), ch, loss, 0.1 + rv.nextInt(200) / 1000.0, measured, eventId);
                                valueCount++;
                            }
                        }
                    }
                    passedAlign = outcome.equals("PASS");
                    t = t.plusSeconds(3600 + r.nextInt(7200));
                }
                if (!passedAlign || alignmentOnly) {
                    continue;
                }
                // BURNIN: a day later at one of six racks, one retest
                t = t.plusSeconds(86_400);
                String rack = String.format(Locale.ROOT, "BI-%02d", 1 + r.nextInt(6));
                boolean passedBurnIn = false;
                for (int attempt = 1; attempt <= 2 && !passedBurnIn; attempt++) {
                    double x = r.nextDouble();
                    String outcome = attempt == 1 ? (x < 0.96 ? "PASS" : x < 0.99 ? "FAIL" : "INCOMPLETE") : (x < 0.7 ? "PASS" : "FAIL");
                    String runId = serial + "-BURNIN-" + attempt;
                    int driftChannel = 1 + r.nextInt(channels);
                    verdictId++;
                    if (pass == 0) {
                        verdicts.row(verdictId, "v:" + runId, runId, unitId, "BURNIN", attempt, rack, t, t.plusSeconds(43_200), outcome,
                                product + "/BURNIN", outcome.equals("INCOMPLETE") ? null : 1, outcome.equals("INCOMPLETE") ? "rack power lost" : null);
                    } else {
                        if (outcome.equals("FAIL")) {
                            checks.row(verdictId, "power_drift", null, driftChannel, -1.2, -1.0, null, "dB");
                            checkCount++;
                        }
                        runs.row(runId, unitId, "BURNIN", attempt, rack, "op-" + (i % 40), product + "/BURNIN", channels, t, "s:" + runId,
                                t.plusSeconds(43_200), outcome.equals("INCOMPLETE"), 720);
                        runCount++;
                    }
                    passedBurnIn = outcome.equals("PASS");
                    t = t.plusSeconds(50_400);
                }
                if (pass == 1 && i > 0 && i % 100_000 == 0) {
                    System.err.printf(Locale.ROOT, "  loaded %,d units, %,d runs, %,d alignment values (%.0f s)%n", i, runCount, valueCount,
                            (System.nanoTime() - started) / 1e9);
                }
            }
        }
        checks.end();
        runs.end();
        values.end();
        System.err.printf(Locale.ROOT, "  rows copied in %.0f s; building the alignment-value indexes%n", (System.nanoTime() - started) / 1e9);
        try (Statement s = c.createStatement()) {
            for (String ddl : rebuild) {
                long t0 = System.nanoTime();
                s.execute(ddl);
                System.err.printf(Locale.ROOT, "  %s (%.0f s)%n", ddl, (System.nanoTime() - t0) / 1e9);
            }
            s.execute("SELECT setval(pg_get_serial_sequence('units', 'id'), " + units + ")");
            s.execute("SELECT setval(pg_get_serial_sequence('verdicts', 'id'), (SELECT max(id) FROM verdicts))");
            s.execute("INSERT INTO lots (product, lot) SELECT DISTINCT product, lot FROM units ON CONFLICT DO NOTHING");
            // as after an upgrade: the service folds the stored verdicts into its yield rows when it starts
            s.execute("INSERT INTO maintenance_tasks (name) VALUES ('unit-yield-backfill') ON CONFLICT (name) DO UPDATE SET done_at = NULL");
            s.execute("VACUUM ANALYZE");
        }
        long verdictRows;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM verdicts")) {
            rs.next();
            verdictRows = rs.getLong(1);
        }
        return new Counts(units, runCount, alignRuns, verdictRows, checkCount, valueCount);
    }

    /** Drops the indexes and unique constraints of a table; returns the statements that make them again. */
    private static List<String> dropIndexes(Connection c, String table) throws SQLException {
        List<String> rebuild = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '" + table
                    + "'::regclass AND contype = 'u'")) {
                while (rs.next()) {
                    drop.add("ALTER TABLE " + table + " DROP CONSTRAINT " + rs.getString(1));
                    rebuild.add("ALTER TABLE " + table + " ADD CONSTRAINT " + rs.getString(1) + " " + rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    + "WHERE x.indrelid = '" + table + "'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)")) {
                while (rs.next()) {
                    drop.add("DROP INDEX " + rs.getString(1));
                    // a partitioned table's index definition reads "ON ONLY": made again, it must cover the partitions too
                    rebuild.add(rs.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
            for (String ddl : drop) {
                s.execute(ddl);
            }
        }
        return rebuild;
    }

    /** One COPY in text format on a connection of its own (one COPY at a time per connection), written in 1 MB chunks. */
    private static final class Copy {
        private final Connection connection;
        private final CopyIn copy;
        private final StringBuilder buffer = new StringBuilder(1 << 20);

        Copy(DataSource dataSource, String sql) throws SQLException {
            this.connection = dataSource.getConnection();
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        }

        void row(Object... columns) throws SQLException {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object v = columns[i];
                buffer.append(v == null ? "\\N" : v.toString());
            }
            buffer.append('\n');
            if (buffer.length() > 1 << 20) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        void end() throws SQLException {
            flush();
            copy.endCopy();
            connection.close();
        }
    }
}
