package com.cpo.analytics;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A batch of final coupling-loss values of one scope and channel, with the limits last in force. */
record StatisticsInput(double[] valuesDb, Double lowerLimitDb, Double upperLimitDb, long eventTimeMs) {

    static Serde<StatisticsInput> serde() {
        return Serdes.serdeFrom((topic, in) -> {
            if (in == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(4 + in.valuesDb.length * 8 + 26);
            b.putInt(in.valuesDb.length);
            for (double v : in.valuesDb) {
                b.putDouble(v);
            }
            b.put((byte) (in.lowerLimitDb == null ? 0 : 1)).putDouble(in.lowerLimitDb == null ? 0 : in.lowerLimitDb)
                    .put((byte) (in.upperLimitDb == null ? 0 : 1)).putDouble(in.upperLimitDb == null ? 0 : in.upperLimitDb)
                    .putLong(in.eventTimeMs);
            return b.array();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            double[] values = new double[b.getInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = b.getDouble();
            }
            boolean hasLower = b.get() == 1;
            double lower = b.getDouble();
            boolean hasUpper = b.get() == 1;
            double upper = b.getDouble();
            return new StatisticsInput(values, hasLower ? lower : null, hasUpper ? upper : null, b.getLong());
        });
    }
}
