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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.report.YieldReport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Queued report jobs are bounded: the one past the bound is refused with a time to come back, and taken once one ends. */
class ReportJobsBoundTest {

    @TempDir
    Path dir;

    /** A workbook builder that holds each job until released: jobs stay queued or running as long as the test wants. */
    static final class HeldWorkbooks extends WorkbookService {
        final CountDownLatch release = new CountDownLatch(1);

        HeldWorkbooks() {
            super(null, null, null, null);
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
        ReportJobs jobs = new ReportJobs(workbooks, config(dir, 2), new SimpleMeterRegistry());
        ReportJobs.JobView first = jobs.submit(null, null, false, 0, "a.xlsx");
        jobs.submit(null, null, false, 0, "b.xlsx");
        assertThatThrownBy(() -> jobs.submit(null, null, false, 0, "c.xlsx")).isInstanceOf(TooManyRequestsException.class)
                .hasMessageContaining("2 report jobs").hasMessageContaining("cpo.platform.security.max-queued-reports")
                .satisfies(e -> assertThat(((TooManyRequestsException) e).retryAfterSeconds()).isEqualTo(30));
        workbooks.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.find(first.id()).orElseThrow().state() == ReportJobs.State.DONE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jobs.submit(null, null, false, 0, "c.xlsx").state())
                .isIn(ReportJobs.State.QUEUED, ReportJobs.State.RUNNING, ReportJobs.State.DONE));
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
