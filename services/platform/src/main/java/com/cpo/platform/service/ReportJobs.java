package com.cpo.platform.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.report.YieldReport;

import io.quarkus.runtime.Startup;

/**
 * Workbooks too large to answer at once: built one at a time on a background thread, polled for progress, then
 * downloaded, from any service instance: jobs live in PostgreSQL ({@code report_jobs}, V7). The instance that takes a
 * job builds it into a local temporary file, refreshing the job's progress and heartbeat every
 * {@link #HEARTBEAT} seconds, then stores the file in the database in 1 MB chunks in the transaction that marks it DONE,
 * and deletes the file: no file outlives its job, a start-up removes what a crash left. A job whose heartbeat stopped
 * (its instance died) is marked FAILED with that reason by whichever instance notices; finished jobs are deleted
 * {@code cpo.platform.reports.job-retention} after they finish.
 */
@ApplicationScoped
@Startup // its meters exist from the start, at zero, and its sweep runs
public class ReportJobs {

    private static final Logger LOG = Logger.getLogger(ReportJobs.class);
    /** Seconds between heartbeats of the jobs an instance builds. */
    static final long HEARTBEAT = 2;
    /** A job whose heartbeat is older than this lost its instance. */
    static final Duration STALE = Duration.ofSeconds(60);
    private static final int CHUNK_BYTES = 1 << 20;

    /** Where a job is. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED
    }

    /**
     * What a poll shows.
     *
     * @param rawRowsTotal raw-data rows the workbook will have, counted when the job was accepted
     * @param progress raw rows written / total, 0..1 (1 when done)
     * @param fileName the name the file is downloaded under
     * @param error why a FAILED job failed
     */
    public record JobView(String id, State state, Instant createdAt, Instant finishedAt, long rawRowsTotal,
            long rawRowsWritten, double progress, String fileName, String error, Long sizeBytes, Long scheduleId, Instant keepUntil,
            Instant periodFrom, Instant periodTo) {
    }

    /**
     * What made a job a scheduled run: its schedule, the period it covers, and until when its file is kept.
     */
    public record Scheduled(long scheduleId, Instant keepUntil, Instant periodFrom, Instant periodTo) {
    }

    private final WorkbookService yields;
    private final PlatformConfig config;
    private final DataSource database;
    /** This instance, as the jobs it builds name it. */
    private final String instance;
    /** Jobs this instance has queued or is building, with their raw rows written so far. */
    private final Map<String, AtomicLong> building = new ConcurrentHashMap<>();
    // One at a time: each job holds a database cursor and a few MB of SXSSF buffers; more would only compete.
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> daemon(r, "report-jobs"));
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "report-jobs-sweep"));
    private final Path directory;

    @Inject
    ReportJobs(WorkbookService yields, PlatformConfig config, io.micrometer.core.instrument.MeterRegistry registry, DataSource database)
            throws IOException {
        this.yields = yields;
        this.config = config;
        this.database = database;
        this.instance = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        for (State state : State.values()) {
            io.micrometer.core.instrument.Gauge.builder("cpo.report.jobs", this, jobs -> jobs.count(state))
                    .description("Report jobs kept now, by state (every instance's)").tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        this.directory = config.reports().jobDirectory().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "cpo-report-jobs"));
        Files.createDirectories(directory);
        sweeper.scheduleWithFixedDelay(this::sweep, HEARTBEAT, HEARTBEAT, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "service";
        }
    }

    /** Accepts a job; the report's aggregates are already read, the raw data is streamed by the job. */
    public JobView submit(YieldReport report, ReportFilter filter, boolean rawData, long rawRowsTotal, String fileName) {
        return submit(report, filter, rawData, rawRowsTotal, fileName, null);
    }

    /** Accepts a job, a scheduled run's when {@code scheduled} is not null. */
    public JobView submit(YieldReport report, ReportFilter filter, boolean rawData, long rawRowsTotal, String fileName, Scheduled scheduled) {
        return submit(fileName, rawRowsTotal, scheduled, (out, progress) -> {
            yields.writeWorkbook(report, filter, rawData, out, progress);
            return null;
        });
    }

    /**
     * What a job builds: its file written to {@code out}, progress reported as rows (or runs) done of the job's total; it
     * returns a JSON document kept with the job ({@link #result}), or null.
     */
    @FunctionalInterface
    public interface Build {
        String write(OutputStream out, java.util.function.LongConsumer progress) throws IOException;
    }

    /** Accepts a job of any kind: {@code total} is what its progress counts to. */
    public JobView submit(String fileName, long total, Scheduled scheduled, Build build) {
        long rawRowsTotal = total;
        int max = config.security().maxQueuedReports();
        String id = UUID.randomUUID().toString();
        synchronized (building) {
            if (building.size() >= max) {
                throw new TooManyRequestsException(building.size() + " report jobs are queued or running, the most this service takes "
                        + "(cpo.platform.security.max-queued-reports); try again when one has finished.", 30);
            }
            update("INSERT INTO report_jobs (id, state, created_at, raw_rows_total, file_name, instance, heartbeat_at, schedule_id, "
                    + "keep_until, period_from, period_to) VALUES (?, 'QUEUED', now(), ?, ?, ?, now(), ?, ?, ?, ?)", id, rawRowsTotal, fileName,
                    instance, scheduled == null ? null : scheduled.scheduleId(), offset(scheduled == null ? null : scheduled.keepUntil()),
                    offset(scheduled == null ? null : scheduled.periodFrom()), offset(scheduled == null ? null : scheduled.periodTo()));
            building.put(id, new AtomicLong());
        }
        executor.submit(() -> run(id, build));
        return find(id).orElseThrow();
    }

    /** The JSON document a job's build returned, once it is DONE; empty before, or when it returned none. */
    public Optional<String> result(String id) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT result::text FROM report_jobs WHERE id = ? AND state = 'DONE'")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the result of job " + id + ": " + e.getMessage(), e);
        }
    }

    public Optional<JobView> find(String id) {
        List<JobView> found = jobs("id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The jobs of a schedule (its files while they are kept), newest first. */
    public List<JobView> ofSchedule(long scheduleId) {
        return jobs("schedule_id = ? ORDER BY created_at DESC", scheduleId);
    }

    private List<JobView> jobs(String where, Object argument) {
        List<JobView> out = new java.util.ArrayList<>();
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id, state, created_at, finished_at, raw_rows_total, raw_rows_written, file_name, "
                        + "error, size_bytes, schedule_id, keep_until, period_from, period_to FROM report_jobs WHERE " + where)) {
            s.setObject(1, argument);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    State state = State.valueOf(rs.getString(2));
                    long total = rs.getLong(5);
                    AtomicLong here = building.get(id);
                    long written = here != null ? Math.max(here.get(), rs.getLong(6)) : rs.getLong(6);
                    double progress = state == State.DONE ? 1.0 : total == 0 ? 0.0 : Math.min(1.0, (double) written / total);
                    out.add(new JobView(id, state, instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)), total, written, progress,
                            rs.getString(7), rs.getString(8), (Long) rs.getObject(9), (Long) rs.getObject(10), instant(rs.getTimestamp(11)),
                            instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read report jobs (" + argument + "): " + e.getMessage(), e);
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static java.time.OffsetDateTime offset(Instant i) {
        return i == null ? null : i.atOffset(java.time.ZoneOffset.UTC);
    }

    /** Writes the stored file of a DONE job to {@code out}, chunk by chunk; false when the job is not DONE. */
    public boolean download(String id, OutputStream out) throws IOException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false); // a cursor: one chunk in memory at a time
            try (PreparedStatement s = c.prepareStatement("SELECT k.bytes FROM report_job_chunks k JOIN report_jobs j ON j.id = k.job_id "
                    + "WHERE k.job_id = ? AND j.state = 'DONE' ORDER BY k.seq")) {
                s.setFetchSize(1);
                s.setString(1, id);
                boolean any = false;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        any = true;
                        out.write(rs.getBytes(1));
                    }
                }
                c.commit();
                return any;
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the file of report job " + id + ": " + e.getMessage(), e);
        }
    }

    private void run(String id, Build build) {
        Path file = directory.resolve(id + ".xlsx");
        AtomicLong written = building.get(id);
        try {
            update("UPDATE report_jobs SET state = 'RUNNING', heartbeat_at = now() WHERE id = ?", id);
            String result;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                result = build.write(out, written::set);
            }
            store(id, file, written.get(), result);
        } catch (IOException | RuntimeException | SQLException | Error e) { // an Error too: the job must not stay RUNNING
            LOG.errorf(e, "report job %s failed", id);
            fail(id, "The workbook could not be built; the service log of " + instance + " has the cause (job " + id + ").");
            if (e instanceof Error error && !(e instanceof OutOfMemoryError)) {
                throw error;
            }
        } finally {
            building.remove(id);
            deleteQuietly(file);
        }
    }

    /** The file into chunks and the job DONE, in one transaction. */
    private void store(String id, Path file, long rowsWritten, String result) throws IOException, SQLException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            long size = 0;
            try (InputStream in = Files.newInputStream(file);
                    PreparedStatement chunk = c.prepareStatement("INSERT INTO report_job_chunks (job_id, seq, bytes) VALUES (?, ?, ?)")) {
                byte[] buffer = new byte[CHUNK_BYTES];
                int seq = 0;
                int n;
                while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                    chunk.setString(1, id);
                    chunk.setInt(2, seq++);
                    chunk.setBytes(3, n == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, n));
                    chunk.executeUpdate();
                    size += n;
                }
            }
            try (PreparedStatement done = c.prepareStatement("UPDATE report_jobs SET state = 'DONE', finished_at = now(), size_bytes = ?, "
                    + "raw_rows_written = ?, heartbeat_at = now(), result = ?::jsonb WHERE id = ? AND state = 'RUNNING'")) {
                done.setLong(1, size);
                done.setLong(2, rowsWritten);
                done.setString(3, result);
                done.setString(4, id);
                if (done.executeUpdate() != 1) {
                    c.rollback(); // marked FAILED meanwhile (a heartbeat missed): it stays so
                    return;
                }
            }
            c.commit();
        }
    }

    private void fail(String id, String reason) {
        try {
            update("UPDATE report_jobs SET state = 'FAILED', error = ?, finished_at = now() WHERE id = ? AND state IN ('QUEUED', 'RUNNING')",
                    reason, id);
        } catch (RuntimeException e) {
            LOG.errorf("cannot mark report job %s failed: %s", id, e);
        }
    }

    /**
     * Every {@link #HEARTBEAT} s: this instance's jobs show their progress and that they live; jobs of an instance whose
     * heartbeat stopped {@link #STALE} ago are marked FAILED; finished jobs past the retention are deleted.
     */
    void sweep() {
        try {
            for (Map.Entry<String, AtomicLong> job : building.entrySet()) {
                update("UPDATE report_jobs SET heartbeat_at = now(), raw_rows_written = ? WHERE id = ?", job.getValue().get(), job.getKey());
            }
            int lost = update("UPDATE report_jobs SET state = 'FAILED', finished_at = now(), error = 'The service instance building it ('"
                    + " || instance || ') stopped before it finished (last seen ' || heartbeat_at || '); ask for the report again.' "
                    + "WHERE state IN ('QUEUED', 'RUNNING') AND instance <> ? AND heartbeat_at < now() - make_interval(secs => ?)",
                    instance, (double) STALE.toSeconds());
            if (lost > 0) {
                LOG.warnf("%d report jobs lost their service instance: marked FAILED", lost);
            }
            // a scheduled run's file is kept until its keep_until, any other job's for the job retention
            update("DELETE FROM report_jobs WHERE finished_at IS NOT NULL AND ((keep_until IS NULL AND finished_at < now() - make_interval(secs => ?)) "
                    + "OR keep_until < now())",
                    (double) config.reports().jobRetention().toSeconds());
            removeLeftFiles();
        } catch (RuntimeException e) {
            LOG.warnf("report jobs sweep failed (next in %d s): %s", HEARTBEAT, e.getMessage());
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("report jobs: " + e.getMessage(), e);
        }
    }

    private double count(State state) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM report_jobs WHERE state = ?")) {
            s.setString(1, state.name());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /**
     * Deletes the files in the job folder whose job is not being built (a crash's leftovers; their jobs are marked FAILED
     * by the sweep). A file is named by its job, so an instance sharing the folder never loses a file it is writing.
     */
    private void removeLeftFiles() {
        try (var files = Files.list(directory)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".xlsx")).toList()) {
                String id = f.getFileName().toString().replace(".xlsx", "");
                Optional<JobView> job = building.containsKey(id) ? Optional.empty() : find(id);
                if (!building.containsKey(id) && (job.isEmpty() || job.get().state() == State.DONE || job.get().state() == State.FAILED)) {
                    deleteQuietly(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", file, e);
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        executor.shutdownNow();
        for (String id : building.keySet()) {
            fail(id, "The service instance building it (" + instance + ") was stopped; ask for the report again.");
            deleteQuietly(directory.resolve(id + ".xlsx"));
        }
    }
}
