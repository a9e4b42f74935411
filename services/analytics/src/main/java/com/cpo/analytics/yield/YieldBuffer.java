package com.cpo.analytics.yield;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.cpo.analytics.state.Names;
import com.cpo.domain.PlantCalendar;
import com.cpo.events.Verdict;

/**
 * Keeps each unit's history of an operation (in the serial's partition, so no record crosses the network for it) and
 * turns each verdict into yield deltas: the unit's old contribution leaves its old groups and its new one joins its new
 * groups, so a retest replaces, never adds. Deltas are summed per group in a changelogged buffer and sent on once a second.
 */
public final class YieldBuffer {

    private final KeyValueStore<String, UnitHistory> histories;
    private final KeyValueStore<String, YieldContribution> buffer;
    private final PlantCalendar calendar;

    public YieldBuffer(ProcessingContext context, PlantCalendar calendar) {
        this.histories = context.getStateStore(Names.UNIT_HISTORY_STORE);
        this.buffer = context.getStateStore(Names.YIELD_BUFFER_STORE);
        this.calendar = calendar;
    }

    /** The stores this needs, for the processor that owns it. */
    public static List<String> stores() {
        return List.of(Names.UNIT_HISTORY_STORE, Names.YIELD_BUFFER_STORE);
    }

    public void add(Verdict verdict) {
        String key = verdict.getProduct() + "|" + verdict.getSerial() + "|" + verdict.getOperation();
        UnitHistory before = histories.get(key);
        UnitHistory after = (before == null ? UnitHistory.empty() : before).with(verdict);
        histories.put(key, after);
        if (before != null) {
            YieldGroups.of(before, calendar).forEach((group, c) -> addDelta(group, c.negate()));
        }
        YieldGroups.of(after, calendar).forEach(this::addDelta);
    }

    private void addDelta(String group, YieldContribution delta) {
        YieldContribution buffered = buffer.get(group);
        buffer.put(group, buffered == null ? delta : buffered.plus(delta));
    }

    /** Hands every buffered delta on (group, delta) and empties the buffer. */
    public void flush(BiConsumer<String, YieldContribution> forward) {
        List<KeyValue<String, YieldContribution>> deltas = new ArrayList<>();
        try (KeyValueIterator<String, YieldContribution> all = buffer.all()) {
            all.forEachRemaining(deltas::add);
        }
        for (KeyValue<String, YieldContribution> delta : deltas) {
            forward.accept(delta.key, delta.value);
            buffer.delete(delta.key);
        }
    }
}
