package com.cpo.service;

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

    /** Report settings. */
    interface Reports {

        /**
         * {@code cpo.platform.reports.default-operation}: the operation a report or lot list covers when the
         * request names none.
         */
        @WithDefault("ALIGN")
        String defaultOperation();
    }
}
