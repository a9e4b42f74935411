package com.cpo.platform.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.platform.PlatformConfig;
import com.cpo.platform.report.YieldReport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Report jobs in a real PostgreSQL (the service's migrations applied), two {@link ReportJobs} standing for two service
 * instances on one database: the queue is bounded, any instance answers for any job and serves its file, a job whose
 * instance died is marked FAILED with the reason, and no file outlives its job.
 */
class ReportJobsTest {

    @TempDir
    Path dir;

    static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void database(@TempDir Path work) {
        postgres = EmbeddedPostgresServer.start(work, "jobs");
        Flyway.configure().dataSource(postgres.dataSource()).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    /** A workbook builder that holds each job until released: jobs stay queued or running as long as the test wants. */
    static final class HeldWorkbooks extends WorkbookService {
        final CountDownLatch release = new CountDownLatch(1);

        HeldWorkbooks() {
            super(null, null, null, null, null, null);
        }

        @Override
        public void writeWorkbook(YieldReport report, ReportFilter filter, boolean rawData, OutputStream out, LongConsumer rawRowsWritten)
                throws IOException {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(new byte[] {'P', 'K'});
        }
    }

    @Test
    void theJobPastTheBoundIsRefusedWithRetryAfterAndTakenOnceOneEnds() throws Exception {
        HeldWorkbooks workbooks = new HeldWorkbooks();
        ReportJobs jobs = new ReportJobs(workbooks, config(dir, 2), new SimpleMeterRegistry(), postgres.dataSource());
        ReportJobs.JobView first = jobs.submit(null, null, false, 0, "a.xlsx");
        jobs.submit(null, null, false, 0, "b.xlsx");
        assertThatThrownBy(() -> jobs.submit(null, null, false, 0, "c.xlsx")).isInstanceOf(TooManyRequestsException.class)
                .hasMessageContaining("2 report jobs").hasMessageContaining("cpo.platform.security.max-queued-reports")
                .satisfies(e -> assertThat(((TooManyRequestsException) e).retryAfterSeconds()).isEqualTo(30));
        workbooks.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.find(first.id()).orElseThrow().state() == ReportJobs.State.DONE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jobs.submit(null, null, false, 0, "c.xlsx").state())
                .isIn(ReportJobs.State.QUEUED, ReportJobs.State.RUNNING, ReportJobs.State.DONE));
        jobs.stop();
    }

    @Test
    void anyInstanceAnswersForAJobAndServesItsFileAndNoFileIsLeft() throws Exception {
        HeldWorkbooks workbooks = new HeldWorkbooks();
        Path dirA = java.nio.file.Files.createDirectories(dir.resolve("a"));
        ReportJobs a = new ReportJobs(workbooks, config(dirA, 4), new SimpleMeterRegistry(), postgres.dataSource());
        ReportJobs b = new ReportJobs(new HeldWorkbooks(), config(java.nio.file.Files.createDirectories(dir.resolve("b")), 4),
                new SimpleMeterRegistry(), postgres.dataSource());
        try {
            // when instance a takes a job
            ReportJobs.JobView job = a.submit(null, null, false, 10, "y.xlsx");

            // then b knows it while a builds it, and serves its file once DONE
            assertThat(b.find(job.id()).orElseThrow().state()).isIn(ReportJobs.State.QUEUED, ReportJobs.State.RUNNING);
            assertThat(b.download(job.id(), new java.io.ByteArrayOutputStream())).isFalse();
            workbooks.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.find(job.id()).orElseThrow().state() == ReportJobs.State.DONE);
            java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
            assertThat(b.download(job.id(), file)).isTrue();
            assertThat(file.toByteArray()).containsExactly('P', 'K');
            assertThat(b.find(job.id()).orElseThrow().fileName()).isEqualTo("y.xlsx");
            // and a's temporary file is gone
            try (var left = java.nio.file.Files.list(dirA)) {
                assertThat(left.toList()).isEmpty();
            }
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aJobWhoseInstanceStoppedHeartBeatingIsMarkedFailedWithTheReason() throws Exception {
        ReportJobs survivor = new ReportJobs(new HeldWorkbooks(), config(dir, 4), new SimpleMeterRegistry(), postgres.dataSource());
        try (var c = postgres.dataSource().getConnection(); var s = c.createStatement()) {
            // given a job of an instance that died two minutes ago, and its file left behind
            s.execute("INSERT INTO report_jobs (id, state, created_at, raw_rows_total, file_name, instance, heartbeat_at) "
                    + "VALUES ('lost-job', 'RUNNING', now() - interval '3 minutes', 5, 'l.xlsx', 'dead-host/1234', now() - interval '2 minutes')");
            java.nio.file.Files.writeString(dir.resolve("lost-job.xlsx"), "half a workbook");

            // when the survivor sweeps
            survivor.sweep();

            // then
            ReportJobs.JobView lost = survivor.find("lost-job").orElseThrow();
            assertThat(lost.state()).isEqualTo(ReportJobs.State.FAILED);
            assertThat(lost.error()).contains("dead-host/1234", "stopped before it finished", "ask for the report again");
            assertThat(dir.resolve("lost-job.xlsx")).doesNotExist();
        } finally {
            survivor.stop();
        }
    }

    private static PlatformConfig config(Path dir, int maxQueued) {
        return new PlatformConfig() {
            @Override
            public Reports reports() {
                return new Reports() {
                    @Override
                    public String defaultOperation() {
                        return "ALIGN";
                    }

                    @Override
                    public long asyncThresholdRows() {
                        return 0;
                    }

                    @Override
                    public Duration jobRetention() {
                        return Duration.ofHours(2);
                    }

                    @Override
                    public Optional<String> jobDirectory() {
                        return Optional.of(dir.toString());
                    }
                };
            }

            @Override
            public Dashboard dashboard() {
                throw new UnsupportedOperationException("not used by report jobs");
            }

            @Override
            public Retention retention() {
                throw new UnsupportedOperationException("not used by report jobs");
            }

            @Override
            public Security security() {
                return new Security() {
                    @Override
                    public String adminPasswordFile() {
                        return dir.resolve("admin").toString();
                    }

                    @Override
                    public long maxUploadBytes() {
                        return 1 << 20;
                    }

                    @Override
                    public int maxQueuedReports() {
                        return maxQueued;
                    }

                    @Override
                    public Duration backdatingTolerance() {
                        return Duration.ofMinutes(5);
                    }
                };
            }
        };
    }
}
