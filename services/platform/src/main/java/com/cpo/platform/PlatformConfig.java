package com.cpo.platform;

import java.time.Duration;
import java.time.Period;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's own settings, under {@code cpo.platform.}. Kafka, datasource and HTTP use the standard
 * Quarkus keys ({@code kafka.bootstrap.servers}, {@code quarkus.datasource.*}, {@code quarkus.http.port});
 * topic names are in {@link TopicsConfig}.
 */
@ConfigMapping(prefix = "cpo.platform")
public interface PlatformConfig {

    /** Report settings. */
    Reports reports();

    /** The live dashboard's settings. */
    Dashboard dashboard();

    /** How long stored data is kept. */
    Retention retention();

    /** Logins, the first administrator, limits on what a request may make the service do. */
    Security security();

    /** Logins and bounds ({@code docs/SECURITY.md}). */
    interface Security {

        /**
         * {@code cpo.platform.security.admin-password-file}: where the first administrator's password is written when
         * the service starts on a database without users (user {@code admin}; the file readable by the service's own
         * user only). Delete it once the password is changed.
         */
        @WithDefault("secrets/platform-admin-password")
        String adminPasswordFile();

        /** {@code cpo.platform.security.max-upload-bytes}: a limit workbook larger than this is refused (413). */
        @WithDefault("5242880")
        long maxUploadBytes();

        /** {@code cpo.platform.security.max-queued-reports}: report jobs waiting or running at most; more are refused (429). */
        @WithDefault("4")
        int maxQueuedReports();

        /**
         * {@code cpo.platform.security.backdating-tolerance}: a release whose {@code effectiveFrom} is earlier than its
         * own time by more than this is back-dated: it needs a reason, which the audit shows.
         */
        @WithDefault("PT5M")
        Duration backdatingTolerance();
    }

    /**
     * How long stored data is kept, per table, as an ISO-8601 period counted back from now ({@code P0D}: for ever). Runs
     * and alignment values go by whole months of their time (a month is dropped once all of it is older than its
     * retention); burn-in summaries and the record of processed events row by row. Verdicts, failed checks, units and
     * their yield rows are kept for ever: they are small (about 1 KB per run) and yield history is built from them.
     */
    interface Retention {

        /** {@code cpo.platform.retention.runs}: runs as stations reported them (operator, completion), by start. */
        @WithDefault("P3Y")
        Period runs();

        /** {@code cpo.platform.retention.alignment-values}: per-channel coupling loss and PDL, by measurement time. */
        @WithDefault("P2Y")
        Period alignmentValues();

        /** {@code cpo.platform.retention.burnin-summaries}: per-channel burn-in summaries, by their last reading. */
        @WithDefault("P2Y")
        Period burninSummaries();

        /**
         * {@code cpo.platform.retention.burnin-readings}: every burn-in reading (the unit page's drift curves), by reading
         * time; whole months are dropped.
         */
        @WithDefault("P2Y")
        Period burninReadings();

        /** {@code cpo.platform.retention.alignment-scans}: alignment steps' power-vs-position scans, by measurement time. */
        @WithDefault("P1Y")
        Period alignmentScans();

        /**
         * {@code cpo.platform.retention.processed-events}: the ids of burn-in readings already folded into summaries,
         * which make a redelivered reading change nothing. Keep it longer than a redelivery can come late: Kafka keeps
         * a topic's records 7 days unless configured otherwise.
         */
        @WithDefault("P30D")
        Period processedEvents();

        /** {@code cpo.platform.retention.every}: how often retention runs and next months' partitions are made. */
        @WithDefault("6h")
        String every();
    }

    /** The live dashboard ({@code /dashboard.html}, its stream {@code /api/live}). */
    interface Dashboard {

        /**
         * {@code cpo.platform.dashboard.verdict-lookback}: at start-up, how many of the latest records per
         * partition of the verdicts and alarms topics are read back to fill the lists of latest verdicts,
         * failures and alarms (the compacted statistics topics are always read from the beginning).
         */
        @WithDefault("2000")
        int verdictLookback();

        /** {@code cpo.platform.dashboard.failures-kept}: how many latest failed or incomplete verdicts are kept and sent. */
        @WithDefault("100")
        int failuresKept();

        /** {@code cpo.platform.dashboard.client-buffer}: events a browser may fall behind before its stream is ended (it reconnects and gets a fresh snapshot). */
        @WithDefault("2000")
        int clientBuffer();

        /**
         * {@code cpo.platform.dashboard.lot-retention}: how long the dashboard keeps a lot's figures (yield per
         * lot, RTY, coupling-loss statistics per product × lot) after the event time of their latest update
         * (ISO-8601). The compacted topics keep every lot ever made; this bounds the service's memory. Yield per
         * station and statistics per product × station are not lot-keyed and always kept.
         */
        @WithDefault("P14D")
        Duration lotRetention();
    }

    /** Report settings. */
    interface Reports {

        /**
         * {@code cpo.platform.reports.default-operation}: the operation a report, lot list or yield query
         * covers when the request names none.
         */
        @WithDefault("ALIGN")
        String defaultOperation();


        /**
         * {@code cpo.platform.reports.async-threshold-rows}: a yield workbook with more raw-data rows (one per
         * unit, run, step and channel) than this is built as an asynchronous job: the request is answered
         * {@code 202} with the job to poll. Smaller ones are streamed at once.
         */
        @WithDefault("200000")
        long asyncThresholdRows();

        /** {@code cpo.platform.reports.job-retention}: how long a finished job and its file are kept (ISO-8601). */
        @WithDefault("PT2H")
        Duration jobRetention();

        /**
         * {@code cpo.platform.reports.job-directory}: where job files are written; default a folder under
         * {@code java.io.tmpdir}.
         */
        Optional<String> jobDirectory();
    }
}
