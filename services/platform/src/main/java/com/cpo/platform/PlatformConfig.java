package com.cpo.platform;

import java.time.Duration;
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
