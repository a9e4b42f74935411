package com.cpo.analytics.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;

/**
 * The coupling-loss distributions of every channel of one statistics scope (e.g. {@code PRODUCT_LOT|CPO-OE16|L1}),
 * and which channels the latest batch changed. One record per scope instead of one per scope and channel: a
 * run's 16 channels travel and are stored together, so the repartition topic and the changelog carry a sixteenth
 * of the records for the same values.
 */
public final class ScopeStatistics {

    public final TreeMap<Integer, CouplingLossAggregate> channels = new TreeMap<>();
    /** Channels the latest batch added values to: those whose figures are emitted for it. */
    public List<Integer> lastChanged = List.of();

    public ScopeStatistics add(StatisticsBatch batch) {
        List<Integer> changed = new ArrayList<>();
        batch.perChannelInputs().forEach((channel, in) -> {
            channels.computeIfAbsent(channel, c -> new CouplingLossAggregate())
                    .add(in.valuesDb(), in.lowerLimitDb(), in.upperLimitDb(), in.eventTimeMs());
            changed.add(channel);
        });
        lastChanged = changed;
        return this;
    }

    public static Serde<ScopeStatistics> serde() {
        Serde<CouplingLossAggregate> channelSerde = CouplingLossAggregate.serde();
        return StateSerdes.of((s, out) -> {
            out.writeInt(s.lastChanged.size());
            for (int channel : s.lastChanged) {
                out.writeInt(channel);
            }
            out.writeInt(s.channels.size());
            for (Map.Entry<Integer, CouplingLossAggregate> e : s.channels.entrySet()) {
                out.writeInt(e.getKey());
                StateSerdes.writeBytes(out, channelSerde.serializer().serialize(null, e.getValue()));
            }
        }, in -> {
            ScopeStatistics s = new ScopeStatistics();
            List<Integer> changed = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                changed.add(in.readInt());
            }
            s.lastChanged = changed;
            for (int n = in.readInt(); n > 0; n--) {
                int channel = in.readInt();
                s.channels.put(channel, channelSerde.deserializer().deserialize(null, StateSerdes.readBytes(in)));
            }
            return s;
        });
    }
}
