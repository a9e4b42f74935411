package com.cpo.analytics.judge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.cpo.analytics.state.Names;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.events.RunStarted;
import com.cpo.schemas.EventCodec;

/**
 * The limit set a run is judged by: the version in force at its start ({@link LimitSet#inForceAt}), from the global
 * store of released versions, remembered per run (a burn-in run asks at every reading).
 */
public final class Limits {

    private final ReadOnlyKeyValueStore<String, byte[]> versions;
    private final EventCodec codec = EventCodec.standard();
    private final Map<String, LimitSet> decodedVersions = new java.util.HashMap<>();
    private final Map<String, LimitSet> byRun = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LimitSet> eldest) {
            return size() > 10_000;
        }
    };

    @SuppressWarnings("unchecked")
    Limits(ProcessingContext context) {
        Object store = context.getStateStore(Names.LIMITS_STORE);
        this.versions = (ReadOnlyKeyValueStore<String, byte[]>) store;
    }

    /** The version in force at the run's start, or null when none was. */
    LimitSet of(RunStarted started) {
        LimitSet cached = byRun.get(started.getRunId());
        if (cached != null) {
            return cached;
        }
        LimitSet limits = inForce(started.getLimitSetId(), started.getEventTime());
        if (limits != null) {
            byRun.put(started.getRunId(), limits);
        }
        return limits;
    }

    private LimitSet inForce(String limitSetId, Instant runStart) {
        List<LimitSet> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = versions.prefixScan(limitSetId + "@", new StringSerializer())) {
            while (it.hasNext()) {
                var entry = it.next();
                Object value = entry.value;
                byte[] bytes = value instanceof ValueAndTimestamp<?> vt ? (byte[]) vt.value() : (byte[]) value;
                // a released version never changes: each is decoded once (the key and the bytes say which)
                all.add(decodedVersions.computeIfAbsent(entry.key + "#" + java.util.Arrays.hashCode(bytes),
                        k -> toDomain(codec.decode(bytes, com.cpo.events.LimitSet.class))));
            }
        }
        return LimitSet.inForceAt(all, runStart);
    }

    /** The domain's limit set of a released one; throws IllegalArgumentException for a limit the domain refuses. */
    public static LimitSet toDomain(com.cpo.events.LimitSet event) {
        List<Limit> limits = event.getLimits().stream()
                .map(l -> new Limit(l.getParameter(), l.getChannel(), l.getLowerLimit(), l.getUpperLimit(), l.getUnitOfMeasure()))
                .toList();
        return new LimitSet(event.getLimitSetId(), event.getVersion(), event.getEffectiveFrom(), limits);
    }
}
