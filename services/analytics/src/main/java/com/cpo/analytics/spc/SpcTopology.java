package com.cpo.analytics.spc;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import com.cpo.analytics.state.Names;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.events.StatisticsScope;
import com.cpo.schemas.EventSerdes;
import com.cpo.schemas.Topics;

/**
 * The control charts' part of the topology: the statistics' hourly batches ({@code STATION_HOUR|product|station|hour})
 * re-keyed by {@code product|station}, so a station's hours meet in one task in order, into {@link SpcProcessor}; the
 * baselines in a global store from {@code cpo.spc-baselines.v1}.
 */
public final class SpcTopology {

    private static final String HOURLY_PREFIX = StatisticsScope.STATION_HOUR + "|";

    private SpcTopology() {
    }

    public static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.SPC_CHART_STORE), Serdes.String(),
                SpcChartState.serde()).withCachingEnabled());
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.SPC_BASELINES_STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled(), Topics.SPC_BASELINES.name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(Names.SPC_BASELINES_SOURCE), SpcBaselineLoader::new);
    }

    /** @param batches scope key (without channel) to a batch of buffered values */
    public static void build(KStream<String, byte[]> batches) {
        KStream<String, SpecificRecord> out = batches.filter((scope, v) -> scope.startsWith(HOURLY_PREFIX), Named.as("spc-hourly-batches"))
                .map((scope, entries) -> {
                    int lastBar = scope.lastIndexOf('|');
                    String productStation = scope.substring(HOURLY_PREFIX.length(), lastBar);
                    long hourMs = Instant.parse(scope.substring(lastBar + 1)).toEpochMilli();
                    return KeyValue.pair(productStation, SpcProcessor.value(hourMs, entries));
                }, Named.as("spc-by-station"))
                .repartition(Repartitioned.<String, byte[]>as(Names.SPC_VALUES_BY_STATION).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()))
                .process(SpcProcessor::new, Named.as("spc-charts"), Names.SPC_CHART_STORE);
        out.filter((k, v) -> v instanceof SpcPoint, Named.as("spc-points")).mapValues(v -> (SpcPoint) v, Named.as("spc-point-payload"))
                .to(Topics.SPC_POINTS.name(), Produced.with(Serdes.String(), EventSerdes.of(SpcPoint.class)).withName("spc-points-sink"));
        out.filter((k, v) -> v instanceof SpcViolation, Named.as("spc-violations")).mapValues(v -> (SpcViolation) v, Named.as("spc-violation-payload"))
                .to(Topics.SPC_VIOLATIONS.name(), Produced.with(Serdes.String(), EventSerdes.of(SpcViolation.class)).withName("spc-violations-sink"));
    }
}
