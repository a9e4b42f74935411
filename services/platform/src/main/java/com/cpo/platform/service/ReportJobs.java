package com.cpo.platform.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.report.YieldReport;

import io.quarkus.runtime.Startup;

/**
 * Workbooks too large to answer at once: built one at a time on a background thread into a file, polled
 * for progress, then downloaded. Jobs live in memory (a restart forgets them; the caller asks again) and
 * their files are deleted {@code cpo.platform.reports.job-retention} after they finish.
 */
@ApplicationScoped
@Startup // its meters exist from the start, at zero
public class ReportJobs {

    private static final Logger LOG = Logger.getLogger(ReportJobs.class);

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
            long rawRowsWritten, double progress, String fileName, String error) {
    }

    private static final class Job {
        final String id = UUID.randomUUID().toString();
        final Instant createdAt = Instant.now();
        final long rawRowsTotal;
        final String fileName;
        final Path file;
        final AtomicLong rawRowsWritten = new AtomicLong();
        volatile State state = State.QUEUED;
        volatile Instant finishedAt;
        volatile String error;

        Job(long rawRowsTotal, String fileName, Path directory) {
            this.rawRowsTotal = rawRowsTotal;
            this.fileName = fileName;
            this.file = directory.resolve(id + ".xlsx");
        }

        JobView view() {
            long written = rawRowsWritten.get();
            double progress = state == State.DONE ? 1.0 : rawRowsTotal == 0 ? 0.0 : Math.min(1.0, (double) written / rawRowsTotal);
            return new JobView(id, state, createdAt, finishedAt, rawRowsTotal, written, progress, fileName, error);
        }
    }

    private final WorkbookService yields;
    private final PlatformConfig config;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    // One at a time: each job holds a database cursor and a few MB of SXSSF buffers; more would only compete.
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-jobs");
        t.setDaemon(true);
        return t;
    });
    private final Path directory;

    ReportJobs(WorkbookService yields, PlatformConfig config, io.micrometer.core.instrument.MeterRegistry registry) throws IOException {
        this.yields = yields;
        this.config = config;
        for (State state : State.values()) {
            // jobs kept now per state (finished ones until cpo.platform.reports.job-retention)
            io.micrometer.core.instrument.Gauge.builder("cpo.report.jobs", jobs,
                    all -> all.values().stream().filter(j -> j.state == state).count())
                    .description("Asynchronous report jobs kept now, by state").tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        this.directory = config.reports().jobDirectory().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "cpo-report-jobs"));
        Files.createDirectories(directory);
    }

    /** Accepts a job; the report's aggregates are already read, the raw data is streamed by the job. */
    public JobView submit(YieldReport report, ReportFilter filter, boolean rawData, long rawRowsTotal, String fileName) {
        forgetExpired();
        int max = config.security().maxQueuedReports();
        synchronized (jobs) {
            long open = jobs.values().stream().filter(j -> j.state == State.QUEUED || j.state == State.RUNNING).count();
            if (open >= max) {
                throw new TooManyRequestsException(open + " report jobs are queued or running, the most this service takes "
                        + "(cpo.platform.security.max-queued-reports); try again when one has finished.", 30);
            }
            return accept(report, filter, rawData, rawRowsTotal, fileName);
        }
    }

    private JobView accept(YieldReport report, ReportFilter filter, boolean rawData, long rawRowsTotal, String fileName) {
        Job job = new Job(rawRowsTotal, fileName, directory);
        jobs.put(job.id, job);
        executor.submit(() -> run(job, report, filter, rawData));
        return job.view();
    }

    public Optional<JobView> find(String id) {
        forgetExpired();
        return Optional.ofNullable(jobs.get(id)).map(Job::view);
    }

    /** The finished file of a DONE job. */
    public Optional<Path> file(String id) {
        Job job = jobs.get(id);
        return job != null && job.state == State.DONE ? Optional.of(job.file) : Optional.empty();
    }

    private void run(Job job, YieldReport report, ReportFilter filter, boolean rawData) {
        job.state = State.RUNNING;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(job.file))) {
            yields.writeWorkbook(report, filter, rawData, out, job.rawRowsWritten::set);
            job.state = State.DONE;
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "report job %s failed", job.id);
            job.error = "The workbook could not be built; the service log has the cause (job " + job.id + ").";
            job.state = State.FAILED;
            deleteQuietly(job.file);
        } finally {
            job.finishedAt = Instant.now();
        }
    }

    private void forgetExpired() {
        Instant cutoff = Instant.now().minus(config.reports().jobRetention());
        List<Job> expired = jobs.values().stream()
                .filter(j -> j.finishedAt != null && j.finishedAt.isBefore(cutoff))
                .toList();
        for (Job job : expired) {
            jobs.remove(job.id);
            deleteQuietly(job.file);
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
        executor.shutdownNow();
        jobs.values().forEach(j -> deleteQuietly(j.file));
    }
}
