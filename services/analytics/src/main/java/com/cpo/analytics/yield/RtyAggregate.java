package com.cpo.analytics.yield;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;
import com.cpo.domain.Rty;
import com.cpo.domain.YieldFigures;
import com.cpo.events.RolledThroughputYield;

/** The first-pass yield of each operation of one product and lot; the RTY of them is the domain's ({@link Rty}). */
public final class RtyAggregate {

    final Map<String, FirstPassYield> byOperation = new TreeMap<>();
    long revision;

    public RtyAggregate put(FirstPassYield fpy) {
        byOperation.put(fpy.operation(), fpy);
        revision++;
        return this;
    }

    public RtyAggregate remove(FirstPassYield fpy) {
        byOperation.remove(fpy.operation());
        revision++;
        return this;
    }

    public RolledThroughputYield toEvent(String key) {
        String[] parts = key.split("\\|", 2);
        Map<String, Double> fpys = new TreeMap<>();
        Map<String, YieldFigures> figures = new TreeMap<>();
        long latest = 0;
        for (FirstPassYield f : byOperation.values()) {
            YieldFigures y = new YieldFigures(f.units(), f.firstPassUnits(), 0, 0, 0);
            figures.put(f.operation(), y);
            fpys.put(f.operation(), y.firstPassYield());
            latest = Math.max(latest, f.latestRunStartMs());
        }
        Rty rty = Rty.of(figures);
        return RolledThroughputYield.newBuilder()
                .setEventId(key + "#" + revision)
                .setEventTime(Instant.ofEpochMilli(latest))
                .setProduct(parts[0])
                .setLot(parts[1])
                .setRevision(revision)
                .setFirstPassYieldByOperation(fpys)
                .setRty(rty.value())
                .build();
    }

    public static Serde<RtyAggregate> serde() {
        Serde<FirstPassYield> inner = FirstPassYield.serde();
        return StateSerdes.of((a, out) -> {
            out.writeLong(a.revision);
            out.writeInt(a.byOperation.size());
            for (FirstPassYield f : a.byOperation.values()) {
                StateSerdes.writeBytes(out, inner.serializer().serialize(null, f));
            }
        }, in -> {
            RtyAggregate a = new RtyAggregate();
            a.revision = in.readLong();
            for (int n = in.readInt(); n > 0; n--) {
                FirstPassYield f = inner.deserializer().deserialize(null, StateSerdes.readBytes(in));
                a.byOperation.put(f.operation(), f);
            }
            return a;
        });
    }
}
