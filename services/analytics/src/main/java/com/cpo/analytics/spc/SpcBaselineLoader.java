package com.cpo.analytics.spc;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.domain.spc.ControlBaseline;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcChannelBaseline;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.UndecodableEventException;

/**
 * Keeps the latest frozen baseline per product|station in the global store. A record that is not an SpcBaseline, or
 * one the domain refuses (a centre that is not a number, a σ not above 0), is logged and never stored: the charts keep
 * the baseline before it.
 */
public final class SpcBaselineLoader implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(SpcBaselineLoader.class);
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(Names.SPC_BASELINES_STORE);
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
            SpcBaseline baseline = EventCodec.standard().decode(record.value(), SpcBaseline.class);
            for (SpcChannelBaseline c : baseline.getChannels()) {
                new ControlBaseline(c.getCentreDb(), c.getSigmaDb(), c.getSubgroups(), c.getUnits());
            }
            String key = baseline.getProduct() + "|" + baseline.getStation();
            byte[] before = store.get(key);
            if (before != null && EventCodec.standard().decode(before, SpcBaseline.class).getVersion() > baseline.getVersion()) {
                LOG.warn("skipping SPC baseline {} version {}: version {} is in force", key, baseline.getVersion(),
                        EventCodec.standard().decode(before, SpcBaseline.class).getVersion());
                return;
            }
            store.put(key, record.value());
            LOG.info("SPC baseline {} version {} in force: {} channels", key, baseline.getVersion(), baseline.getChannels().size());
        } catch (UndecodableEventException | IllegalArgumentException e) {
            LOG.error("skipping SPC baseline record with key {}: {}; the charts keep the baseline before it", record.key(), e.getMessage());
        }
    }
}
