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
import java.util.List;

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

    /**
     * How far from its run's start an alignment value's measurement time can be: the time bounds of values are the runs'
     * widened by it, so that only the partitions that can hold them are read.
     */
    public static final java.time.Duration MEASUREMENT_MARGIN = java.time.Duration.ofDays(1); // also in VALUES_OF_RUN
    private static final int FETCH_SIZE = 2_000;
    /** The steps by the codes {@link #VALUES_OF_RUN} sends (the table allows these three only): numbers decode cheaper than text. */
    private static final String[] STEP_NAMES = {null, "PRE_CURE", "POST_UV", "POST_THERMAL"};
    /** One run's values as arrays, read from the partitions its start allows (a LATERAL subquery of a query with r.run_id, r.started_at). */
    private static final String VALUES_OF_RUN = """
            SELECT array_agg(CASE a.step WHEN 'PRE_CURE' THEN 1 WHEN 'POST_UV' THEN 2 WHEN 'POST_THERMAL' THEN 3 END) AS steps, array_agg(a.channel) AS channels, array_agg(a.coupling_loss_db) AS losses,
                   array_agg(a.pdl_db) AS pdls
              FROM alignment_values a
             WHERE a.run_id = r.run_id AND a.measured_at >= r.started_at - interval '1 day'
               AND a.measured_at < r.started_at + interval '1 day'""";
    private final DataSource database;

    /** On any data source: the service's, or the what-if benchmark's (which feeds the same rows to the bare rules). */
    public StoredRuns(DataSource database) {
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

    /**
     * The runs a what-if judges: every completed ALIGN run of a limit set of the units whose first such run started in
     * [from, to) (the units a yield figure of the period counts, by their first run, with their retests even after {@code to}),
     * at any of {@code stations} (empty: all).
     */
    private static final String RUNS_OF_UNITS_FIRST_IN_PERIOD = """
            FROM runs r
            JOIN (SELECT unit_id FROM runs
                   WHERE operation = 'ALIGN' AND limit_set_id = ? AND started_at < ?
                   GROUP BY unit_id HAVING min(started_at) >= ?) first_in_period ON first_in_period.unit_id = r.unit_id
            WHERE r.operation = 'ALIGN' AND r.limit_set_id = ? AND r.started_at >= ? AND r.completed_at IS NOT NULL""";

    /** How many runs {@link #forEachUnit} would read, and the most channels any of them has. */
    public Scope count(String limitSetId, Instant from, Instant to, List<String> stations) throws SQLException {
        // a unit's first run is the earliest of all its runs: those before `to` decide it (a unit first tested later has none)
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*), coalesce(max(r.channel_count), 0) " + RUNS_OF_UNITS_FIRST_IN_PERIOD
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
        return forEachUnit(limitSetId, from, to, stations, 1, 0, consumer);
    }

    /** As above, for the units whose id modulo {@code shards} is {@code shard} only. */
    private long forEachUnit(String limitSetId, Instant from, Instant to, List<String> stations, int shards, int shard, UnitRuns consumer)
            throws SQLException {
        // The runs are sorted first (a million rows is a small sort), then each run's values are read through the
        // (run_id, step, channel) index of the one or two month partitions its time allows: joining all values first would
        // sort every value of the period (47 million for a year of one product) to group them by unit.
        String sql = """
                SELECT r.serial, r.station, r.started_at, r.attempt, r.aborted, r.measurement_events, v.steps, v.channels, v.losses, v.pdls
                  FROM (SELECT u.serial, r.run_id, r.station, r.started_at, r.attempt, coalesce(r.aborted, false) AS aborted,
                               coalesce(r.measurement_events, 0) AS measurement_events
                        """ + RUNS_OF_UNITS_FIRST_IN_PERIOD.replace("FROM runs r", "FROM runs r JOIN units u ON u.id = r.unit_id") + """
                        """ + (stations.isEmpty() ? "" : " AND r.station = ANY (?)")
                + (shards > 1 ? " AND r.unit_id % " + shards + " = " + shard : "") + """

                         ORDER BY u.serial, r.started_at, r.attempt
                        OFFSET 0) r
                  LEFT JOIN LATERAL (""" + VALUES_OF_RUN + ") v ON true";
        long read = 0;
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false); // a cursor
            c.setReadOnly(true);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(FETCH_SIZE);
                binary(s);
                bind(c, s, limitSetId, from, to, stations);
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

    /** One unit's runs, as {@link #forEachUnitReadAhead} hands them over. */
    public record UnitOfRuns(String serial, List<WhatIf.Run> runs) {
    }

    /**
     * As {@link #forEachUnit}, read by {@code readers} threads, each on its own connection with its own share of the units
     * (by unit id), a few thousand units ahead of {@code consumer}: the database's backends, the driver's decoding and the
     * consumer's work overlap instead of taking turns. Each unit arrives whole; units arrive in no particular order. The
     * consumer runs on the calling thread; an error on any side stops all and is thrown here.
     */
    public long forEachUnitReadAhead(String limitSetId, Instant from, Instant to, List<String> stations, int readers, UnitRuns consumer)
            throws SQLException {
        return forEachUnitReadAhead(limitSetId, from, to, stations, readers, 1, i -> consumer);
    }

    /**
     * As above, with {@code consumers} threads taking the units (the calling thread and {@code consumers - 1} more), each
     * with its own consumer ({@code consumerOfThread.apply(0 … consumers - 1)}, asked once): a consumer sees only its
     * thread's units and needs no locking of its own state.
     */
    public long forEachUnitReadAhead(String limitSetId, Instant from, Instant to, List<String> stations, int readers, int consumers,
            java.util.function.IntFunction<UnitRuns> consumerOfThread) throws SQLException {
        java.util.concurrent.BlockingQueue<List<UnitOfRuns>> queue = new java.util.concurrent.ArrayBlockingQueue<>(16);
        List<UnitOfRuns> end = List.of();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> readerThreads = new ArrayList<>();
        for (int shard = 0; shard < readers; shard++) {
            int mine = shard;
            Thread reader = new Thread(() -> {
                List<UnitOfRuns> batch = new ArrayList<>(256);
                try {
                    read.addAndGet(forEachUnit(limitSetId, from, to, stations, readers, mine, (serial, runs) -> {
                        if (stop.get()) {
                            throw new java.util.concurrent.CancellationException("the consumer stopped");
                        }
                        batch.add(new UnitOfRuns(serial, runs));
                        if (batch.size() == 256) {
                            put(queue, new ArrayList<>(batch));
                            batch.clear();
                        }
                    }));
                    put(queue, batch);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    try {
                        put(queue, end);
                    } catch (RuntimeException e) {
                        // the consumer is gone
                    }
                }
            }, "stored-runs-reader-" + shard);
            reader.setDaemon(true);
            reader.start();
            readerThreads.add(reader);
        }
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.IntConsumer consume = i -> {
            try {
                UnitRuns consumer = consumerOfThread.apply(i);
                while (ended.get() < readers && failure.get() == null) {
                    List<UnitOfRuns> batch = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (batch == null) {
                        continue;
                    }
                    if (batch == end) {
                        ended.incrementAndGet();
                        continue;
                    }
                    for (UnitOfRuns unit : batch) {
                        consumer.accept(unit.serial(), unit.runs());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new SQLException("interrupted while judging runs", e));
            } catch (Throwable e) { // an Error too: the other threads must stop, and the caller must hear of it
                failure.compareAndSet(null, e);
            } finally {
                if (failure.get() != null) {
                    stop.set(true);
                    queue.clear();
                }
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int i = 1; i < consumers; i++) {
            int mine = i;
            Thread t = new Thread(() -> consume.accept(mine), "stored-runs-consumer-" + i);
            t.setDaemon(true);
            t.start();
            helpers.add(t);
        }
        consume.accept(0);
        // every thread ends before this returns: no reader keeps a connection, no consumer writes after its caller moved on
        stop.set(true);
        boolean interrupted = false;
        for (Thread t : java.util.stream.Stream.concat(helpers.stream(), readerThreads.stream()).toList()) {
            while (t.isAlive()) {
                queue.clear(); // a reader waiting to hand over a batch sees stop at its next unit
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new SQLException("interrupted while reading runs"));
        }
        Throwable e = failure.get();
        if (e instanceof SQLException sql) {
            throw sql;
        } else if (e instanceof RuntimeException r) {
            throw r;
        } else if (e instanceof Error err) {
            throw err;
        } else if (e != null) {
            throw new IllegalStateException(e);
        }
        return read.get();
    }

    private static void put(java.util.concurrent.BlockingQueue<List<UnitOfRuns>> queue, List<UnitOfRuns> batch) {
        try {
            if (!queue.offer(batch, 10, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new IllegalStateException("the consumer of stored runs took no batch for 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A run with its verdict (null fields when not judged yet) and values, for export.
     *
     * @param failedParameters the parameters of its failed checks, in the order the judge listed them
     */
    public record JudgedRun(String serial, String lot, String product, String station, Instant start, Instant completed, int attempt,
            String outcome, Integer limitSetVersion, String limitSetId, List<String> failedParameters, WhatIf.Run run) {
    }

    /** Receives runs one at a time. */
    @FunctionalInterface
    public interface Runs {
        void accept(JudgedRun run) throws java.io.IOException;
    }

    /**
     * Every run of an operation started in [from, to) (null: unbounded) of a product, lot and station (null: any), with its
     * verdict and values, by serial, start and attempt, through a cursor.
     */
    public long forEachRun(String operation, String product, String lot, String station, Instant from, Instant to, Runs consumer)
            throws SQLException, java.io.IOException {
        // runs still in progress (neither completed nor judged) are not parts yet
        List<String> where = new ArrayList<>(List.of("r.operation = ?", "(r.completed_at IS NOT NULL OR v.id IS NOT NULL)"));
        List<Object> args = new ArrayList<>(List.of(operation));
        for (Object[] c : new Object[][] {{"u.product = ?", product}, {"u.lot = ?", lot}, {"r.station = ?", station},
            {"r.started_at >= ?", from == null ? null : from.atOffset(ZoneOffset.UTC)}, {"r.started_at < ?", to == null ? null : to.atOffset(ZoneOffset.UTC)}}) {
            if (c[1] != null) {
                where.add((String) c[0]);
                args.add(c[1]);
            }
        }
        String sql = """
                SELECT r.serial, r.lot, r.product, r.station, r.started_at, r.completed_at, r.attempt, r.aborted, r.measurement_events,
                       v.steps, v.channels, v.losses, v.pdls, r.outcome, r.limit_set_version, r.limit_set_id,
                       (SELECT array_agg(f.parameter ORDER BY f.id) FROM failed_checks f WHERE f.verdict_id = r.verdict_id)
                  FROM (SELECT u.serial, u.lot, u.product, r.run_id, r.station, r.started_at, r.completed_at, r.attempt,
                               coalesce(r.aborted, false) AS aborted, coalesce(r.measurement_events, 0) AS measurement_events,
                               v.id AS verdict_id, v.outcome, v.limit_set_version, r.limit_set_id
                          FROM runs r
                          JOIN units u ON u.id = r.unit_id
                          LEFT JOIN verdicts v ON v.run_id = r.run_id
                         WHERE\s""" + String.join(" AND ", where) + """

                         ORDER BY u.serial, r.started_at, r.attempt
                        OFFSET 0) r
                  LEFT JOIN LATERAL (""" + VALUES_OF_RUN + ") v ON true";
        long read = 0;
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setFetchSize(FETCH_SIZE);
                binary(s);
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Object[] failed = array(rs.getArray(17));
                        List<String> parameters = new ArrayList<>(failed.length);
                        for (Object f : failed) {
                            parameters.add((String) f);
                        }
                        Timestamp completed = rs.getTimestamp(6);
                        consumer.accept(new JudgedRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant(), completed == null ? null : completed.toInstant(), rs.getInt(7), rs.getString(14),
                                (Integer) rs.getObject(15), rs.getString(16), parameters, run(rs, 4, 5, 7, 8)));
                        read++;
                    }
                }
            }
            c.commit();
        }
        return read;
    }

    private static WhatIf.Run run(ResultSet rs) throws SQLException {
        return run(rs, 2, 3, 4, 5);
    }

    /**
     * A run from its columns: station, start, attempt, and aborted followed by measurement events and the four value arrays.
     */
    private static WhatIf.Run run(ResultSet rs, int stationColumn, int startColumn, int attemptColumn, int abortedColumn) throws SQLException {
        Object[] steps = array(rs.getArray(abortedColumn + 2));
        Object[] channels = array(rs.getArray(abortedColumn + 3));
        Object[] losses = array(rs.getArray(abortedColumn + 4));
        Object[] pdls = array(rs.getArray(abortedColumn + 5));
        List<ChannelValue> values = new ArrayList<>(steps.length);
        int received = 0; // a bit per step
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == null) {
                continue; // a run without values: one null row from the outer join
            }
            int code = ((Number) steps[i]).intValue();
            received |= 1 << code;
            values.add(new ChannelValue(STEP_NAMES[code], ((Number) channels[i]).intValue(), ((Number) losses[i]).doubleValue(),
                    pdls[i] == null ? null : pdls[i] instanceof Double d ? d : Double.valueOf(((Number) pdls[i]).doubleValue())));
        }
        Timestamp start = rs.getTimestamp(startColumn);
        return new WhatIf.Run(rs.getString(stationColumn), start.toInstant(), rs.getInt(attemptColumn), rs.getBoolean(abortedColumn),
                rs.getInt(abortedColumn + 1), Integer.bitCount(received), values);
    }

    /**
     * Prepared on the server at once, so that the driver receives the value arrays in binary (a float8[] as 8-byte numbers)
     * instead of text it must parse: a statement run once is otherwise sent unprepared, its results as text.
     */
    private static void binary(PreparedStatement s) throws SQLException {
        if (s.isWrapperFor(org.postgresql.PGStatement.class)) {
            s.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
        }
    }

    private static Object[] array(Array a) throws SQLException {
        return a == null ? new Object[0] : (Object[]) a.getArray();
    }

    private static void bind(Connection c, PreparedStatement s, String limitSetId, Instant from, Instant to, List<String> stations)
            throws SQLException {
        s.setString(1, limitSetId);
        s.setObject(2, to.atOffset(ZoneOffset.UTC));
        s.setObject(3, from.atOffset(ZoneOffset.UTC));
        s.setString(4, limitSetId);
        s.setObject(5, from.atOffset(ZoneOffset.UTC));
        if (!stations.isEmpty()) {
            s.setArray(6, c.createArrayOf("varchar", stations.toArray()));
        }
    }
}
