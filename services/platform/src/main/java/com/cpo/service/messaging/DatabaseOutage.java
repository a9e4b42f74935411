package com.cpo.service.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps a record on its topic while PostgreSQL is down, instead of sending it to the dead-letter topic: the
 * consumers store each record through {@link #run}, which runs the work again, with a backoff of 0.5 s doubling
 * to {@code cpo.platform.database-retry-max-delay} (30 s), for as long as the failure is the database's (a broken
 * connection, or the database not answering a fresh one). The Kafka consumer holds its position meanwhile (its
 * partitions paused, the offset not committed), so the records behind wait too, in order, and nothing is lost.
 * A failure while the database answers is the record's own (it is then dead-lettered, with its reason).
 *
 * <p>Meters: {@code cpo_database_retries_total} (runs again after a database failure) and
 * {@code cpo_database_waiting_records} (records waiting for the database now). Readiness says the database is
 * down meanwhile ({@code /q/health/ready}).
 */
@ApplicationScoped
public class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    private final DataSource dataSource;
    private final RetryPolicy<Object> policy;
    private final Counter retries;
    private final AtomicInteger waiting = new AtomicInteger();

    DatabaseOutage(DataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "cpo.platform.database-retry-max-delay", defaultValue = "PT30S") Duration maxDelay) {
        this.dataSource = dataSource;
        this.retries = Counter.builder("cpo.database.retries")
                .description("Records stored again after PostgreSQL failed (a broken connection, or the database not answering)")
                .register(registry);
        Gauge.builder("cpo.database.waiting.records", waiting, AtomicInteger::get)
                .description("Records waiting for PostgreSQL to answer again").register(registry);
        this.policy = RetryPolicy.builder()
                .handleIf(this::databaseFailure)
                .withBackoff(Duration.ofMillis(500), maxDelay.compareTo(Duration.ofSeconds(1)) > 0 ? maxDelay : Duration.ofSeconds(1))
                .withMaxRetries(-1)
                .onRetry(e -> {
                    retries.increment();
                    LOG.warnf("PostgreSQL unavailable (%s); the record waits on its topic: attempt %d", rootMessage(e.getLastException()),
                            e.getAttemptCount() + 1);
                })
                .build();
    }

    /** Runs {@code work} (one record's transaction), again and again while the database is down. */
    public void run(String what, CheckedRunnable work) {
        boolean[] waited = {false};
        try {
            Failsafe.with(policy).run(context -> {
                if (context.isRetry() && !waited[0]) {
                    waited[0] = true;
                    waiting.incrementAndGet();
                }
                work.run();
                if (context.isRetry()) {
                    LOG.infof("PostgreSQL answers again: %s stored at attempt %d", what, context.getAttemptCount() + 1);
                }
            });
        } finally {
            if (waited[0]) {
                waiting.decrementAndGet();
            }
        }
    }

    /** A broken connection (SQL state class 08 or 57P), or a database that does not answer a fresh connection now. */
    boolean databaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return !c.isValid(2);
        } catch (SQLException | RuntimeException down) {
            return true;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == null ? "unknown" : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
