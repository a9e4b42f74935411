package com.cpo.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.cpo.events.Verdict;
import com.cpo.service.service.VerdictIngestService;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes the verdicts topic (channel {@code verdicts}) into the database, one transaction per record.
 * The offset is committed only after the transaction, so a crash redelivers, and redelivery is harmless
 * because storing is idempotent on the event id. A record that throws here (for example a second verdict
 * for an already judged run) is nacked and goes to the dead-letter topic; undecodable records never get
 * here, see {@link VerdictDeserializationFailureHandler}.
 */
@ApplicationScoped
public class VerdictConsumer {

    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final VerdictIngestService ingest;

    VerdictConsumer(VerdictIngestService ingest) {
        this.ingest = ingest;
    }

    @Incoming("verdicts")
    @Blocking
    @Transactional
    public void consume(Verdict verdict) {
        if (verdict == null) {
            // A null value (tombstone) carries no verdict; nothing to store.
            return;
        }
        VerdictIngestService.Result result = ingest.store(verdict);
        if (result == VerdictIngestService.Result.DUPLICATE) {
            LOG.debugf("verdict %s (run %s) was already stored; redelivery ignored", verdict.getEventId(),
                    verdict.getRunId());
        }
    }
}
