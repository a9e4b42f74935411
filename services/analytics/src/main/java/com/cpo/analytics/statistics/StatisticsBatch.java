package com.cpo.analytics.statistics;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.cpo.events.StatisticsScope;

/**
 * Coupling-loss values buffered for one statistics scope (without the channel), e.g.
 * {@code PRODUCT_STATION|CPO-OE16|AA-01}: entries of channel, value (dB), event time and the limits in
 * force, 36 bytes each.
 */
public record StatisticsBatch(String scopeKey, byte[] entries) {

    private static final int ENTRY = 4 + 8 + 8 + 8 + 8;

    /** A run's buffer entry: the scopes its values count in, then the values. */
    static byte[] bufferEntry(List<String> scopes, byte[] values) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(values.length + 128);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeInt(scopes.size());
            for (String scope : scopes) {
                out.writeUTF(scope);
            }
            out.write(values);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Hands each scope of a buffer entry the run's values. */
    static void readBufferEntry(byte[] entry, java.util.function.BiConsumer<String, byte[]> perScope) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(entry))) {
            int n = in.readInt();
            List<String> scopes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                scopes.add(in.readUTF());
            }
            byte[] values = in.readAllBytes();
            scopes.forEach(scope -> perScope.accept(scope, values));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code chunk} (or nothing) followed by one more run's buffer entry, length-prefixed. */
    static byte[] appendToChunk(byte[] chunk, byte[] entry) {
        int existing = chunk == null ? 0 : chunk.length;
        ByteBuffer out = ByteBuffer.allocate(existing + 4 + entry.length);
        if (chunk != null) {
            out.put(chunk);
        }
        return out.putInt(entry.length).put(entry).array();
    }

    /** Hands each scope of each run entry of a chunk the run's values. */
    static void readChunk(byte[] chunk, java.util.function.BiConsumer<String, byte[]> perScope) {
        ByteBuffer in = ByteBuffer.wrap(chunk);
        while (in.hasRemaining()) {
            byte[] entry = new byte[in.getInt()];
            in.get(entry);
            readBufferEntry(entry, perScope);
        }
    }

    /** The scopes (without channel) a judged run's values count in. */
    static List<String> scopesOf(JudgedAlignment a) {
        List<String> scopes = new ArrayList<>(3);
        scopes.add(StatisticsScope.PRODUCT_STATION + "|" + a.product() + "|" + a.station());
        scopes.add(StatisticsScope.PRODUCT_LOT + "|" + a.product() + "|" + a.lot());
        if (a.hour() != null) {
            scopes.add(StatisticsScope.STATION_HOUR + "|" + a.product() + "|" + a.station() + "|" + a.hour());
        }
        return scopes;
    }

    /** {@code existing} (or nothing) followed by the run's values. */
    static byte[] append(byte[] existing, JudgedAlignment a) {
        int count = 0;
        for (double v : a.couplingLossDb()) {
            if (!Double.isNaN(v)) {
                count++;
            }
        }
        int start = existing == null ? 0 : existing.length;
        ByteBuffer out = ByteBuffer.allocate(start + count * ENTRY);
        if (existing != null) {
            out.put(existing);
        }
        for (int i = 0; i < a.couplingLossDb().length; i++) {
            double v = a.couplingLossDb()[i];
            if (Double.isNaN(v)) {
                continue;
            }
            out.putInt(i + 1).putDouble(v).putLong(a.eventTimeMs())
                    .putDouble(a.lowerLimitDb()[i] == null ? Double.NaN : a.lowerLimitDb()[i])
                    .putDouble(a.upperLimitDb()[i] == null ? Double.NaN : a.upperLimitDb()[i]);
        }
        return out.array();
    }

    /** The values (dB) per channel of a batch's entries, in arrival order: what a control chart's hour takes. */
    public static Map<Integer, double[]> valuesPerChannel(byte[] entries) {
        Map<Integer, double[]> out = new TreeMap<>();
        new StatisticsBatch("", entries).perChannelInputs().forEach((channel, in) -> out.put(channel, in.valuesDb()));
        return out;
    }

    /** The batch's values per channel, in arrival order, with the limits last in force. */
    Map<Integer, StatisticsInput> perChannelInputs() {
        Map<Integer, List<double[]>> byChannel = new TreeMap<>();
        ByteBuffer in = ByteBuffer.wrap(entries);
        while (in.remaining() >= ENTRY) {
            int channel = in.getInt();
            byChannel.computeIfAbsent(channel, c -> new ArrayList<>())
                    .add(new double[] {in.getDouble(), in.getLong(), in.getDouble(), in.getDouble()});
        }
        Map<Integer, StatisticsInput> out = new TreeMap<>();
        byChannel.forEach((channel, rows) -> {
            double[] values = new double[rows.size()];
            long latest = 0;
            for (int i = 0; i < values.length; i++) {
                values[i] = rows.get(i)[0];
                latest = Math.max(latest, (long) rows.get(i)[1]);
            }
            double[] last = rows.get(rows.size() - 1);
            out.put(channel, new StatisticsInput(values, Double.isNaN(last[2]) ? null : last[2], Double.isNaN(last[3]) ? null : last[3], latest));
        });
        return out;
    }
}
