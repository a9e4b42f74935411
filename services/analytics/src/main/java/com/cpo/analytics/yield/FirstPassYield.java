package com.cpo.analytics.yield;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;

/** One operation's first-pass counts for a lot, on their way to the lot's RTY. */
public record FirstPassYield(String operation, int units, int firstPassUnits, long latestRunStartMs) {

    public static Serde<FirstPassYield> serde() {
        return StateSerdes.of((f, out) -> {
            out.writeUTF(f.operation);
            out.writeInt(f.units);
            out.writeInt(f.firstPassUnits);
            out.writeLong(f.latestRunStartMs);
        }, in -> new FirstPassYield(in.readUTF(), in.readInt(), in.readInt(), in.readLong()));
    }
}
