package com.cpo.analytics.judge;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.events.LimitSet;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.UndecodableEventException;

/**
 * Keeps every released limit-set version from the compacted limits topic in the global store. A record
 * that is not a LimitSet, or a limit set the domain refuses (a limit with no bound, lower above upper, a bound
 * that is not a number), is logged and never stored: one bad release must not stop judging.
 */
public final class LimitSetLoader implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(LimitSetLoader.class);
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(Names.LIMITS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                store.delete(record.key());
            }
            return;
        }
        try {
            LimitSet limitSet = EventCodec.standard().decode(record.value(), LimitSet.class);
            Limits.toDomain(limitSet); // validates every limit: bounds present, ordered, finite
            store.put(key(limitSet.getLimitSetId(), limitSet.getVersion()), record.value());
            LOG.info("limit set {} version {} in force from {}", limitSet.getLimitSetId(), limitSet.getVersion(),
                    limitSet.getEffectiveFrom());
        } catch (UndecodableEventException e) {
            LOG.error("skipping limits record with key {}: {}", record.key(), e.getMessage());
        } catch (IllegalArgumentException e) {
            LOG.error("skipping invalid limit set with key {}: {}; runs are judged by the versions before it", record.key(), e.getMessage());
        }
    }

    /** The store key of a version; zero-padded so versions sort numerically. */
    static String key(String limitSetId, int version) {
        return limitSetId + "@" + String.format("%06d", version);
    }
}
