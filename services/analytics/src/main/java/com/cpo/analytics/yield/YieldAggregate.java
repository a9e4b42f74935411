package com.cpo.analytics.yield;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;

/** A group's summed contributions and how many updates made them. */
public record YieldAggregate(YieldContribution sum, long revision) {

    public static YieldAggregate zero() {
        return new YieldAggregate(YieldContribution.ZERO, 0);
    }

    public YieldAggregate add(YieldContribution c) {
        return new YieldAggregate(sum.plus(c), revision + 1);
    }

    public static Serde<YieldAggregate> serde() {
        Serde<YieldContribution> inner = YieldContribution.serde();
        return StateSerdes.of((a, out) -> {
            out.write(inner.serializer().serialize(null, a.sum));
            out.writeLong(a.revision);
        }, in -> {
            byte[] sum = new byte[32];
            in.readFully(sum);
            return new YieldAggregate(inner.deserializer().deserialize(null, sum), in.readLong());
        });
    }
}
