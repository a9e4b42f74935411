package com.cpo.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import com.cpo.events.RolledThroughputYield;

/** The first-pass yield of each operation of one product and lot; RTY is their product. */
final class RtyAggregate {

    final Map<String, FirstPassYield> byOperation = new TreeMap<>();
    long revision;

    RtyAggregate put(FirstPassYield fpy) {
        byOperation.put(fpy.operation(), fpy);
        revision++;
        return this;
    }

    RtyAggregate remove(FirstPassYield fpy) {
        byOperation.remove(fpy.operation());
        revision++;
        return this;
    }

    RolledThroughputYield toEvent(String key) {
        String[] parts = key.split("\\|", 2);
        Map<String, Double> fpys = new TreeMap<>();
        double rty = 1.0;
        long latest = 0;
        for (FirstPassYield f : byOperation.values()) {
            double fpy = f.units() == 0 ? Double.NaN : (double) f.firstPassUnits() / f.units();
            fpys.put(f.operation(), fpy);
            rty *= fpy;
            latest = Math.max(latest, f.latestRunStartMs());
        }
        return RolledThroughputYield.newBuilder()
                .setEventId(key + "#" + revision)
                .setEventTime(Instant.ofEpochMilli(latest))
                .setProduct(parts[0])
                .setLot(parts[1])
                .setRevision(revision)
                .setFirstPassYieldByOperation(fpys)
                .setRty(byOperation.isEmpty() ? Double.NaN : rty)
                .build();
    }

    static Serde<RtyAggregate> serde() {
        Serde<FirstPassYield> inner = FirstPassYield.serde();
        return Serdes.serdeFrom((topic, a) -> {
            if (a == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(a.revision);
                out.writeInt(a.byOperation.size());
                for (FirstPassYield f : a.byOperation.values()) {
                    byte[] b = inner.serializer().serialize(topic, f);
                    out.writeInt(b.length);
                    out.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                RtyAggregate a = new RtyAggregate();
                a.revision = in.readLong();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    FirstPassYield f = inner.deserializer().deserialize(topic, b);
                    a.byOperation.put(f.operation(), f);
                }
                return a;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
