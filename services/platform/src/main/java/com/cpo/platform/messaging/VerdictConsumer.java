package com.cpo.platform.messaging;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.cpo.events.Verdict;
import com.cpo.platform.LatencyBuckets;
import com.cpo.platform.service.VerdictIngestService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes the verdicts topic (channel {@code verdicts}) into the database, one transaction per record.
 * The offset is committed only after the transaction, so a crash redelivers, and redelivery is harmless
 * because storing is idempotent on the event id. While PostgreSQL is down the record waits on its topic
 * ({@link DatabaseOutage}); a record that fails while the database answers (for example a second verdict
 * for an already judged run) is nacked and goes to the dead-letter topic; undecodable records never get
 * here, see {@link VerdictDeserializationFailureHandler}.
 */
@ApplicationScoped
public class VerdictConsumer {

    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final VerdictIngestService ingest;
    private final DatabaseOutage database;
    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter duplicates;

    VerdictConsumer(VerdictIngestService ingest, DatabaseOutage database, MeterRegistry registry) {
        this.ingest = ingest;
        this.database = database;
        this.registry = registry;
        this.latency = Timer.builder("cpo.verdict.latency")
                .description("From the Kafka timestamp of a verdict record (that of the run completion that triggered it) "
                        + "to the verdict committed in PostgreSQL")
                .serviceLevelObjectives(LatencyBuckets.BOUNDS).register(registry);
        this.duplicates = Counter.builder("cpo.verdicts.redelivered")
                .description("Verdicts received again and left as stored (redelivery)").register(registry);
    }

    /** Stores the verdict in a transaction of its own ({@link VerdictIngestService#store}), then counts it once committed. */
    @Incoming("verdicts")
    @Blocking
    public void consume(Verdict verdict, IncomingKafkaRecordMetadata<String, Verdict> metadata) {
        if (verdict == null) {
            // A null value (tombstone) carries no verdict; nothing to store.
            return;
        }
        VerdictIngestService.Result[] stored = new VerdictIngestService.Result[1];
        database.run("verdict " + verdict.getEventId(), () -> stored[0] = ingest.store(verdict));
        VerdictIngestService.Result result = stored[0];
        if (result == VerdictIngestService.Result.STORED) {
            Counter.builder("cpo.verdicts.stored").description("Verdicts stored in PostgreSQL, by operation and outcome")
                    .tag("operation", verdict.getOperation().name()).tag("outcome", verdict.getOutcome().name())
                    .register(registry).increment();
            if (metadata != null && metadata.getTimestamp() != null) {
                latency.record(Duration.between(metadata.getTimestamp(), Instant.now()).abs());
            }
        } else {
            duplicates.increment();
            LOG.debugf("verdict %s (run %s) was already stored; redelivery ignored", verdict.getEventId(),
                    verdict.getRunId());
        }
    }
}
