package com.cpo.analytics;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The coupling-loss distributions of every channel of one statistics scope (e.g. {@code PRODUCT_LOT|CPO-OE16|L1}),
 * and which channels the latest batch changed. One record per scope instead of one per scope and channel: a
 * run's 16 channels travel and are stored together, so the repartition topic and the changelog carry a sixteenth
 * of the records for the same values.
 */
final class ScopeStatistics {

    final TreeMap<Integer, CouplingLossAggregate> channels = new TreeMap<>();
    /** Channels the latest batch added values to: those whose figures are emitted for it. */
    List<Integer> lastChanged = List.of();

    ScopeStatistics add(StatisticsBatch batch) {
        List<Integer> changed = new ArrayList<>();
        batch.perChannelInputs().forEach((channel, in) -> {
            channels.computeIfAbsent(channel, c -> new CouplingLossAggregate())
                    .add(in.valuesDb(), in.lowerLimitDb(), in.upperLimitDb(), in.eventTimeMs());
            changed.add(channel);
        });
        lastChanged = changed;
        return this;
    }

    static Serde<ScopeStatistics> serde() {
        Serde<CouplingLossAggregate> channelSerde = CouplingLossAggregate.serde();
        return Serdes.serdeFrom((topic, s) -> {
            if (s == null) {
                return null;
            }
            List<byte[]> parts = new ArrayList<>(s.channels.size());
            int size = 4 + 4 + 4 * s.lastChanged.size();
            for (Map.Entry<Integer, CouplingLossAggregate> e : s.channels.entrySet()) {
                byte[] bytes = channelSerde.serializer().serialize(topic, e.getValue());
                parts.add(bytes);
                size += 8 + bytes.length;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.putInt(s.lastChanged.size());
            s.lastChanged.forEach(out::putInt);
            out.putInt(s.channels.size());
            int i = 0;
            for (Integer channel : s.channels.keySet()) {
                byte[] bytes = parts.get(i++);
                out.putInt(channel).putInt(bytes.length).put(bytes);
            }
            return out.array();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(data);
            ScopeStatistics s = new ScopeStatistics();
            List<Integer> changed = new ArrayList<>();
            for (int n = in.getInt(); n > 0; n--) {
                changed.add(in.getInt());
            }
            s.lastChanged = changed;
            for (int n = in.getInt(); n > 0; n--) {
                int channel = in.getInt();
                byte[] bytes = new byte[in.getInt()];
                in.get(bytes);
                s.channels.put(channel, channelSerde.deserializer().deserialize(topic, bytes));
            }
            return s;
        });
    }
}
