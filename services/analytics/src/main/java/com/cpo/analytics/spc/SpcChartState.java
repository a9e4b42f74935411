package com.cpo.analytics.spc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;

/**
 * The charts of one product at one station: the hour still open (its values' count, sum and sum of squares per
 * channel) and, per channel, the latest standardized points and the baseline version they were held to.
 */
final class SpcChartState {

    /** Start of the open hour, epoch ms; {@link Long#MIN_VALUE} before the first value. */
    long openHourMs = Long.MIN_VALUE;
    /** Per channel: {n, Σx, Σx²} of the open hour. */
    final TreeMap<Integer, double[]> open = new TreeMap<>();
    /** Per channel: the latest standardized points, oldest first. */
    final TreeMap<Integer, List<Double>> points = new TreeMap<>();
    /** Per channel: the baseline version its points were held to (a new version starts the chart afresh). */
    final TreeMap<Integer, Integer> versions = new TreeMap<>();

    void add(int channel, double[] valuesDb) {
        double[] sums = open.computeIfAbsent(channel, c -> new double[3]);
        for (double v : valuesDb) {
            sums[0]++;
            sums[1] += v;
            sums[2] += v * v;
        }
    }

    static Serde<SpcChartState> serde() {
        return StateSerdes.of((s, out) -> {
            out.writeLong(s.openHourMs);
            out.writeInt(s.open.size());
            for (Map.Entry<Integer, double[]> e : s.open.entrySet()) {
                out.writeInt(e.getKey());
                for (double d : e.getValue()) {
                    out.writeDouble(d);
                }
            }
            out.writeInt(s.points.size());
            for (Map.Entry<Integer, List<Double>> e : s.points.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(s.versions.getOrDefault(e.getKey(), 0));
                out.writeInt(e.getValue().size());
                for (double z : e.getValue()) {
                    out.writeDouble(z);
                }
            }
        }, in -> {
            SpcChartState s = new SpcChartState();
            s.openHourMs = in.readLong();
            for (int n = in.readInt(); n > 0; n--) {
                s.open.put(in.readInt(), new double[] {in.readDouble(), in.readDouble(), in.readDouble()});
            }
            for (int n = in.readInt(); n > 0; n--) {
                int channel = in.readInt();
                s.versions.put(channel, in.readInt());
                List<Double> z = new ArrayList<>();
                for (int k = in.readInt(); k > 0; k--) {
                    z.add(in.readDouble());
                }
                s.points.put(channel, z);
            }
            return s;
        });
    }
}
