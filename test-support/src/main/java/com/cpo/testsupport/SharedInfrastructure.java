package com.cpo.testsupport;

import java.nio.file.Path;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;

/**
 * One broker and one PostgreSQL per JVM, started on first use and stopped when the JVM exits: what every
 * integration test shares, so a test class costs no server start-up of its own.
 */
public final class SharedInfrastructure {

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;

    private SharedInfrastructure() {
    }

    /** Where servers keep their files: {@code target/infra} of the module under test. */
    public static Path workDir() {
        return Path.of(System.getProperty("cpo.infra.dir", "target/infra")).toAbsolutePath();
    }

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start(workDir());
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(workDir(), "cpo");
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-postgres"));
        }
        return postgres;
    }
}
