package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.cpo.platform.service.StationEventIngestService;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.StationEventCheck;
import com.cpo.schemas.UndecodableEventException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes the station events (channel {@code station-events}) into runs and measurements, one
 * transaction per record; offsets are committed after it, and storing is idempotent, so a redelivery after
 * a crash is harmless. While PostgreSQL is down the record waits on its topic ({@link DatabaseOutage}). An undecodable or
 * invalid record ({@link StationEventCheck}) is skipped and counted: the analytics app, which reads the same topic,
 * dead-letters it with its reason, so each bad record is one dead letter.
 */
@ApplicationScoped
@Startup // its meters exist from the start, at zero
public class StationEventConsumer {

    private final StationEventIngestService ingest;
    private final DatabaseOutage database;

    private final MeterRegistry registry;
    private final EventCodec codec = EventCodec.standard();
    private static final Logger LOG = Logger.getLogger(StationEventConsumer.class);

    StationEventConsumer(StationEventIngestService ingest, DatabaseOutage database, MeterRegistry registry) {
        this.ingest = ingest;
        this.database = database;
        this.registry = registry;
        for (String type : java.util.List.of("RunStarted", "AlignmentResult", "BurnInReading", "RunCompleted")) {
            counter(type); // at zero from the start, so a dashboard's rate() has a series before the first event
        }
        skipped("undecodable");
        skipped("invalid");
    }

    private Counter counter(String type) {
        return Counter.builder("cpo.station.events.stored")
                .description("Station events stored (runs, alignment values, burn-in readings), by event type; redeliveries included")
                .tag("type", type).register(registry);
    }

    @Incoming("station-events")
    @Blocking(ordered = true)
    public void consume(byte[] value) {
        if (value == null) {
            return;
        }
        SpecificRecord event;
        try {
            event = codec.decode(value);
        } catch (UndecodableEventException e) {
            skip("undecodable", e.getMessage());
            return;
        }
        String problem = StationEventCheck.problem(event);
        if (problem != null) {
            skip("invalid", event.getClass().getSimpleName() + ": " + problem);
            return;
        }
        database.run(event.getClass().getSimpleName(), () -> ingest.store(event));
        counter(event.getClass().getSimpleName()).increment();
    }

    private void skip(String why, String detail) {
        LOG.warnf("station event skipped (%s; the analytics app dead-letters it): %s", why, detail);
        skipped(why).increment();
    }

    private Counter skipped(String why) {
        return Counter.builder("cpo.station.events.skipped")
                .description("Station events not stored because they cannot be decoded or are invalid (the analytics app dead-letters them)")
                .tag("reason", why).register(registry);
    }
}
