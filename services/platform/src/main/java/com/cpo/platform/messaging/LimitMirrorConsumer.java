package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.cpo.events.LimitSet;
import com.cpo.platform.service.LimitService;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Reads the compacted limits topic (channel {@code limits-in}) so that releases published by others (the
 * launcher's seed, another tool) are known to unit histories and capability figures. This service's own
 * releases come back here too and are recognised as known.
 */
@ApplicationScoped
public class LimitMirrorConsumer {

    private static final Logger LOG = Logger.getLogger(LimitMirrorConsumer.class);

    private final LimitService limits;
    private final DatabaseOutage database;

    LimitMirrorConsumer(LimitService limits, DatabaseOutage database) {
        this.limits = limits;
        this.database = database;
    }

    @Incoming("limits-in")
    @Blocking
    public void consume(SpecificRecord record) {
        boolean[] mirrored = {false};
        if (record instanceof LimitSet set) {
            database.run("limit set " + set.getLimitSetId() + " version " + set.getVersion(), () -> mirrored[0] = limits.mirror(set));
        }
        if (mirrored[0] && record instanceof LimitSet set) {
            LOG.infof("limit set %s version %d mirrored from the limits topic", set.getLimitSetId(), set.getVersion());
        }
    }
}
