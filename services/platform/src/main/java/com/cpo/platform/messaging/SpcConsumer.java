package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.platform.service.SpcService;
import com.cpo.schemas.EventCodec;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Stores the control charts' points ({@code spc-points}, the latest per subgroup) and violations ({@code spc-violations},
 * once each) in PostgreSQL, one transaction per record, offsets committed after it; a redelivery changes nothing. While
 * PostgreSQL is down the record waits ({@link DatabaseOutage}); one that cannot be decoded goes to the dead-letter topic.
 */
@ApplicationScoped
public class SpcConsumer {

    private final SpcService spc;
    private final DatabaseOutage database;
    private final EventCodec codec = EventCodec.standard();

    SpcConsumer(SpcService spc, DatabaseOutage database) {
        this.spc = spc;
        this.database = database;
    }

    @Incoming("spc-points")
    @Blocking(ordered = true)
    public void point(byte[] value) {
        if (value != null) {
            SpcPoint point = codec.decode(value, SpcPoint.class);
            database.run("SPC point " + point.getEventId(), () -> spc.store(point));
        }
    }

    @Incoming("spc-violations")
    @Blocking(ordered = true)
    public void violation(byte[] value) {
        if (value != null) {
            SpcViolation violation = codec.decode(value, SpcViolation.class);
            database.run("SPC violation " + violation.getEventId(), () -> spc.store(violation));
        }
    }
}
