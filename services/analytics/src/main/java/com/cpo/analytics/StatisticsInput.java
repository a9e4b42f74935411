package com.cpo.analytics;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** One final coupling-loss value on its way to its scope's statistics, with the limits in force. */
record StatisticsInput(double valueDb, Double lowerLimitDb, Double upperLimitDb, long eventTimeMs) {

    static Serde<StatisticsInput> serde() {
        return Serdes.serdeFrom((topic, in) -> in == null ? null
                : ByteBuffer.allocate(34).putDouble(in.valueDb)
                        .put((byte) (in.lowerLimitDb == null ? 0 : 1)).putDouble(in.lowerLimitDb == null ? 0 : in.lowerLimitDb)
                        .put((byte) (in.upperLimitDb == null ? 0 : 1)).putDouble(in.upperLimitDb == null ? 0 : in.upperLimitDb)
                        .putLong(in.eventTimeMs).array(),
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    ByteBuffer b = ByteBuffer.wrap(data);
                    double value = b.getDouble();
                    boolean hasLower = b.get() == 1;
                    double lower = b.getDouble();
                    boolean hasUpper = b.get() == 1;
                    double upper = b.getDouble();
                    return new StatisticsInput(value, hasLower ? lower : null, hasUpper ? upper : null, b.getLong());
                });
    }
}
