package com.cpo.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** One operation's first-pass counts for a lot, on their way to the lot's RTY. */
record FirstPassYield(String operation, int units, int firstPassUnits, long latestRunStartMs) {

    static Serde<FirstPassYield> serde() {
        return Serdes.serdeFrom((topic, f) -> {
            if (f == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(f.operation);
                out.writeInt(f.units);
                out.writeInt(f.firstPassUnits);
                out.writeLong(f.latestRunStartMs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                return new FirstPassYield(in.readUTF(), in.readInt(), in.readInt(), in.readLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
