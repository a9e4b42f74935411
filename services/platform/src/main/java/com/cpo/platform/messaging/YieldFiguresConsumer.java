package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.domain.YieldFigures;
import com.cpo.platform.service.YieldAlarms;
import com.cpo.schemas.EventCodec;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Holds the analytics app's lot and first-station yield figures ({@code yield-in}, from {@code cpo.yield.v1}) to each
 * product's FPY target ({@link YieldAlarms}), one transaction per record; other groups are skipped at once. A record
 * that cannot be decoded goes to the dead-letter topic.
 */
@ApplicationScoped
public class YieldFiguresConsumer {

    private final YieldAlarms alarms;
    private final DatabaseOutage database;
    private final EventCodec codec = EventCodec.standard();

    YieldFiguresConsumer(YieldAlarms alarms, DatabaseOutage database) {
        this.alarms = alarms;
        this.database = database;
    }

    @Incoming("yield-in")
    @Blocking(ordered = true)
    public void consume(byte[] value) {
        if (value == null) {
            return;
        }
        com.cpo.events.YieldFigures y = codec.decode(value, com.cpo.events.YieldFigures.class);
        String dimension = y.getDimension().name();
        if (!YieldAlarms.DIMENSIONS.contains(dimension)) {
            return;
        }
        YieldFigures figures = new YieldFigures(y.getUnits(), y.getFirstPassUnits(), y.getFinalPassUnits(), y.getRuns(), y.getPassedRuns());
        database.run("yield figures " + y.getEventId(), () -> alarms.apply(y.getProduct(), y.getOperation().name(), dimension, y.getGroup(),
                figures, y.getEventTime()));
    }
}
