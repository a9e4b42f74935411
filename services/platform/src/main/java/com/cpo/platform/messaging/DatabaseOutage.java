package com.cpo.platform.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;

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
@Startup // its meters exist from the start, at zero
public class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    private final DataSource dataSource;
    private final RetryPolicy<Object> policy;
    private final Counter retries;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean stopping;

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
                    if (stopping) {
                        LOG.warnf("the service is stopping (%s); the record stays unacknowledged on its topic: attempt %d",
                                rootMessage(e.getLastException()), e.getAttemptCount() + 1);
                    } else {
                        LOG.warnf("PostgreSQL unavailable (%s); the record waits on its topic: attempt %d", rootMessage(e.getLastException()),
                                e.getAttemptCount() + 1);
                    }
                })
                .build();
    }

    /**
     * Runs {@code work} (one record's transaction), again and again while the database is down. A failure that
     * does not look like the database's gets one more try first: the database may have come back between the
     * failure and the look at it (seen: a connection refused during the outage, a fresh one fine a moment later).
     * Failing again then, the failure is the record's own and is thrown.
     */
    public void run(String what, CheckedRunnable work) {
        boolean[] waited = {false};
        try {
            try {
                runWithRetries(what, work, waited);
            } catch (RuntimeException first) {
                if (interrupted(first)) {
                    waitOutWhileStopping(what, work);
                    return;
                }
                LOG.debugf(first, "%s failed while PostgreSQL answers; one more try decides whether the record is at fault", what);
                try {
                    runWithRetries(what, work, waited);
                } catch (RuntimeException second) {
                    if (!interrupted(second)) {
                        throw second;
                    }
                    waitOutWhileStopping(what, work);
                }
            }
        } finally {
            if (waited[0]) {
                waiting.decrementAndGet();
            }
        }
    }

    /**
     * The service stops (its worker threads are interrupted) while the record waits for the database. Failing
     * now would dead-letter a record with nothing wrong with it, and returning would acknowledge one that is not
     * stored; so the wait goes on, deaf to the interrupt, until the database answers or the process ends.
     * Unacknowledged, the record is read again after the restart.
     */
    private void waitOutWhileStopping(String what, CheckedRunnable work) {
        boolean interrupted = Thread.interrupted();
        LOG.warnf("stopping while PostgreSQL is unavailable: %s stays unacknowledged on its topic and is read again after the restart", what);
        try {
            while (true) {
                try {
                    work.run();
                    LOG.infof("PostgreSQL answers again: %s stored while stopping", what);
                    return;
                } catch (Throwable t) {
                    if (!databaseFailure(t)) {
                        throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
                    }
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException again) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private void runWithRetries(String what, CheckedRunnable work, boolean[] waited) {
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
    }

    /** The service is stopping: whatever fails now (a closed EntityManagerFactory, say) is not the record's fault. */
    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * The database's failure, not the record's (or the service stopping): a broken or refused connection (SQL state class 08, 57P
     * operator intervention, 53 insufficient resources, or 55000 "not currently accepting connections"), no
     * connection from the pool in time, or a database that does not answer a fresh connection now.
     */
    boolean databaseFailure(Throwable e) {
        if (stopping) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("Unable to acquire JDBC Connection") || message.contains("acquisition timeout")) {
                return true; // Hibernate's and Agroal's words for "no connection"
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
                        || (state.equals("55000") && message.contains("accepting connections"))) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
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
