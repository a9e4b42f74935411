package com.cpo.service.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.service.service.StationEventIngestService;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes the station events (channel {@code station-events}) into runs and measurements, one
 * transaction per record; offsets are committed after it, and storing is idempotent, so a redelivery after
 * a crash is harmless. While PostgreSQL is down the record waits on its topic ({@link DatabaseOutage}). Undecodable records go to the dead-letter topic
 * ({@link EventDeserializationFailureHandler}).
 */
@ApplicationScoped
@Startup // its meters exist from the start, at zero
public class StationEventConsumer {

    private final StationEventIngestService ingest;
    private final DatabaseOutage database;

    private final MeterRegistry registry;

    StationEventConsumer(StationEventIngestService ingest, DatabaseOutage database, MeterRegistry registry) {
        this.ingest = ingest;
        this.database = database;
        this.registry = registry;
        for (String type : java.util.List.of("RunStarted", "AlignmentResult", "BurnInReading", "RunCompleted")) {
            counter(type); // at zero from the start, so a dashboard's rate() has a series before the first event
        }
    }

    private Counter counter(String type) {
        return Counter.builder("cpo.station.events.stored")
                .description("Station events stored (runs, alignment values, burn-in readings), by event type; redeliveries included")
                .tag("type", type).register(registry);
    }

    @Incoming("station-events")
    @Blocking(ordered = true)
    public void consume(SpecificRecord event) {
        if (event != null) {
            database.run(event.getClass().getSimpleName(), () -> ingest.store(event));
            counter(event.getClass().getSimpleName()).increment();
        }
    }
}
