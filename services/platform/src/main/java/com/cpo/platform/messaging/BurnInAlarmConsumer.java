package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.events.BurnInAlarm;
import com.cpo.schemas.EventCodec;
import com.cpo.platform.service.BurnInAlarms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes the burn-in alarm changes (channel {@code burnin-alarms}) into the alarms' lifecycle ({@link BurnInAlarms}), one
 * transaction per record, in order per unit. The offset is committed after the transaction; a redelivery changes nothing.
 * While PostgreSQL is down the record waits ({@link DatabaseOutage}); a record that cannot be decoded or stored while the
 * database answers is nacked and goes to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class BurnInAlarmConsumer {

    private final BurnInAlarms alarms;
    private final DatabaseOutage database;
    private final MeterRegistry registry;
    private final EventCodec codec = EventCodec.standard();

    BurnInAlarmConsumer(BurnInAlarms alarms, DatabaseOutage database, MeterRegistry registry) {
        this.alarms = alarms;
        this.database = database;
        this.registry = registry;
    }

    @Incoming("burnin-alarms")
    @Blocking(ordered = true)
    public void consume(byte[] value) {
        if (value == null) {
            return;
        }
        BurnInAlarm alarm = codec.decode(value, BurnInAlarm.class);
        boolean[] applied = new boolean[1];
        database.run("burn-in alarm " + alarm.getEventId(), () -> applied[0] = alarms.apply(alarm));
        if (applied[0]) {
            Counter.builder("cpo.burnin.alarm.changes").description("Burn-in alarm changes stored, by kind and transition")
                    .tag("kind", alarm.getKind().name()).tag("transition", alarm.getTransition().name()).register(registry).increment();
        }
    }
}
