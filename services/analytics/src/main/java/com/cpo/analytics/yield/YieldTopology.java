package com.cpo.analytics.yield;

import java.time.Instant;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.analytics.state.Names;
import com.cpo.domain.PlantCalendar;
import com.cpo.domain.YieldFigures;
import com.cpo.events.Operation;
import com.cpo.events.RolledThroughputYield;
import com.cpo.events.YieldDimension;
import com.cpo.schemas.EventSerdes;

/**
 * Yield per group from the unit table's deltas ({@link YieldBuffer}): each group's figures are the sum of its units'
 * contributions; a unit's update subtracts its old contribution before adding the new one. RTY per product and lot
 * follows from the lot groups.
 */
public final class YieldTopology {

    private YieldTopology() {
    }

    public static void build(AnalyticsConfig config, KStream<String, YieldContribution> deltas) {
        KTable<String, YieldAggregate> yield = deltas
                .groupByKey(Grouped.with(Names.YIELD_DELTAS_BY_GROUP, Serdes.String(), YieldContribution.serde()))
                .aggregate(YieldAggregate::zero, (k, delta, agg) -> agg.add(delta), Named.as("yield"),
                        Materialized.<String, YieldAggregate>as(Stores.persistentKeyValueStore(Names.YIELD_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(YieldAggregate.serde()));
        yield.toStream(Named.as("yield-updates"))
                .mapValues((key, agg) -> toYieldFigures(key, agg, config.calendar()), Named.as("yield-figures"))
                .to(config.yieldTopic(), Produced.with(Serdes.String(), EventSerdes.of(com.cpo.events.YieldFigures.class)).withName("yield-to-topic"));
        yield.filter((key, agg) -> key.startsWith(YieldDimension.LOT + "|"), Named.as("lot-yield"))
                .groupBy((key, agg) -> {
                    String[] p = key.split("\\|", 4); // LOT|product|operation|lot
                    return KeyValue.pair(p[1] + "|" + p[3], new FirstPassYield(p[2], agg.sum().units(), agg.sum().firstPassUnits(),
                            agg.sum().latestRunStartMs()));
                }, Grouped.with(Names.LOT_YIELD_BY_PRODUCT_LOT, Serdes.String(), FirstPassYield.serde()))
                .aggregate(RtyAggregate::new, (k, fpy, agg) -> agg.put(fpy), (k, fpy, agg) -> agg.remove(fpy), Named.as("rty"),
                        Materialized.<String, RtyAggregate>as(Stores.persistentKeyValueStore(Names.RTY_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(RtyAggregate.serde()))
                .toStream(Named.as("rty-updates"))
                .mapValues((key, agg) -> agg.toEvent(key), Named.as("rty-figures"))
                .to(config.rtyTopic(), Produced.with(Serdes.String(), EventSerdes.of(RolledThroughputYield.class)).withName("rty-to-topic"));
    }

    /** A group's figures as published; ratios are the domain's ({@link YieldFigures}), null where undefined. */
    public static com.cpo.events.YieldFigures toYieldFigures(String key, YieldAggregate agg, PlantCalendar calendar) {
        String[] parts = key.split("\\|", 4);
        YieldDimension dimension = YieldDimension.valueOf(parts[0]);
        YieldContribution c = agg.sum();
        YieldFigures f = c.figures();
        Instant[] window = YieldGroups.window(dimension, parts[3], calendar);
        return com.cpo.events.YieldFigures.newBuilder()
                .setEventId(key + "#" + agg.revision())
                .setEventTime(Instant.ofEpochMilli(c.latestRunStartMs()))
                .setKey(key)
                .setRevision(agg.revision())
                .setDimension(dimension)
                .setProduct(parts[1])
                .setOperation(Operation.valueOf(parts[2]))
                .setGroup(parts[3])
                .setWindowStart(window == null ? null : window[0])
                .setWindowEnd(window == null ? null : window[1])
                .setUnits(c.units())
                .setFirstPassUnits(c.firstPassUnits())
                .setFinalPassUnits(c.finalPassUnits())
                .setRuns(c.runs())
                .setPassedRuns(c.passedRuns())
                .setIncompleteRuns(c.incompleteRuns())
                .setFirstPassYield(finite(f.firstPassYield()))
                .setFinalYield(finite(f.finalYield()))
                .setTestYield(finite(f.testYield()))
                .setRetestRate(finite(f.retestRate()))
                .build();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
