package com.cpo.analytics;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A group's summed yield counts and how often they changed. */
record YieldAggregate(YieldContribution sum, long revision) {

    static YieldAggregate zero() {
        return new YieldAggregate(YieldContribution.ZERO, 0);
    }

    YieldAggregate add(YieldContribution c) {
        return new YieldAggregate(sum.plus(c), revision + 1);
    }


    static Serde<YieldAggregate> serde() {
        Serde<YieldContribution> inner = YieldContribution.serde();
        return Serdes.serdeFrom((topic, a) -> a == null ? null
                : ByteBuffer.allocate(40).put(inner.serializer().serialize(topic, a.sum)).putLong(a.revision).array(),
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    byte[] sum = new byte[32];
                    ByteBuffer b = ByteBuffer.wrap(data);
                    b.get(sum);
                    return new YieldAggregate(inner.deserializer().deserialize(topic, sum), b.getLong());
                });
    }
}
