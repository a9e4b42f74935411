package com.cpo.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.service.service.StationEventIngestService;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes the station events (channel {@code station-events}) into runs and measurements, one
 * transaction per record; offsets are committed after it, and storing is idempotent, so a redelivery after
 * a crash is harmless. Undecodable records go to the dead-letter topic
 * ({@link EventDeserializationFailureHandler}).
 */
@ApplicationScoped
public class StationEventConsumer {

    private final StationEventIngestService ingest;

    StationEventConsumer(StationEventIngestService ingest) {
        this.ingest = ingest;
    }

    @Incoming("station-events")
    @Blocking(ordered = true)
    public void consume(SpecificRecord event) {
        if (event != null) {
            ingest.store(event);
        }
    }
}
