package com.cpo.analytics.statistics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.analytics.state.Names;
import com.cpo.domain.stats.Capability;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.FixedBinHistogram;
import com.cpo.events.AlignmentStep;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.StatisticsScope;
import com.cpo.schemas.EventSerdes;

/**
 * Coupling-loss statistics per channel: all time per station, per lot, and per station and plant hour
 * ({@link StatisticsProcessor}). Each scope's channels are aggregated in one record; the figures of the channels a
 * batch changed are emitted, one record per channel. Hours live in a window store with a retention, so the hours of
 * years are not keys kept forever.
 * Which runs still count in their hour is decided upstream, by the judge's persisted stream time and the grace.
 * Percentiles come from a KLL sketch: approximate, rank error about 1.3 %.
 */
public final class StatisticsTopology {

    private StatisticsTopology() {
    }

    /** The stores of the statistics, added to the builder before the topology uses them. */
    public static void addStores(StreamsBuilder builder, AnalyticsConfig config) {
        // the all-time and per-lot store keeps the format of the aggregate it was created by (timestamped, not cached:
        // a cache would fold batches and hide which channels the earlier ones changed)
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(Names.STATS_STORE),
                Serdes.String(), ScopeStatistics.serde()).withCachingDisabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.HOURLY_STATS_STORE,
                config.hourlyStatisticsRetention(), Duration.ofHours(1), false), Serdes.String(), ScopeStatistics.serde()));
    }

    /** @param batches scope key (without channel) to a batch of buffered values ({@link StatisticsBuffer}) */
    public static void build(AnalyticsConfig config, KStream<String, byte[]> batches) {
        batches.repartition(Repartitioned.<String, byte[]>as(Names.STATS_BATCHES_BY_SCOPE).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()))
                .process(() -> new StatisticsProcessor(config.hourlyStatisticsRetention()), Named.as("coupling-loss-stats"),
                        Names.STATS_STORE, Names.HOURLY_STATS_STORE)
                .to(config.statsTopic(), Produced.with(Serdes.String(), EventSerdes.of(CouplingLossStatistics.class))
                        .withName("coupling-loss-stats-to-topic"));
    }

    /** One scope and channel's figures, keyed {@code SCOPE|product|station or lot[|hour]|channel}. */
    public static CouplingLossStatistics toStatistics(String key, CouplingLossAggregate agg) {
        String[] parts = key.split("\\|");
        StatisticsScope scope = StatisticsScope.valueOf(parts[0]);
        DistributionSummary s = agg.summary;
        FixedBinHistogram h = s.histogram();
        Capability capability = s.capability(agg.lowerLimitDb, agg.upperLimitDb);
        CouplingLossStatistics.Builder b = CouplingLossStatistics.newBuilder()
                .setEventId(key + "#" + agg.revision)
                .setEventTime(Instant.ofEpochMilli(agg.latestEventTimeMs))
                .setKey(key)
                .setRevision(agg.revision)
                .setScope(scope)
                .setProduct(parts[1])
                .setChannel(Integer.parseInt(parts[parts.length - 1]))
                .setStep(AlignmentStep.POST_THERMAL)
                .setN(s.count())
                .setMeanDb(s.mean())
                .setStdDevDb(s.count() < 2 ? null : s.standardDeviation())
                .setMinDb(s.min())
                .setMaxDb(s.max())
                .setP1Db(s.quantile(0.01))
                .setP50Db(s.quantile(0.50))
                .setP90Db(s.quantile(0.90))
                .setP99Db(s.quantile(0.99))
                .setHistogramLowerEdgeDb(h.lowerEdge())
                .setHistogramBinWidthDb(h.binWidth())
                .setHistogramCounts(Arrays.stream(h.counts()).boxed().toList())
                .setHistogramUnderflow(h.underflow())
                .setHistogramOverflow(h.overflow())
                .setLowerLimitDb(agg.lowerLimitDb)
                .setUpperLimitDb(agg.upperLimitDb)
                .setCp(Double.isNaN(capability.cp()) ? null : capability.cp())
                .setCpk(Double.isNaN(capability.cpk()) ? null : capability.cpk())
                .setSummary(java.nio.ByteBuffer.wrap(s.toBytes()));
        switch (scope) {
            case PRODUCT_STATION -> b.setStation(parts[2]);
            case PRODUCT_LOT -> b.setLot(parts[2]);
            case STATION_HOUR -> {
                b.setStation(parts[2]);
                Instant start = Instant.parse(parts[3]);
                b.setWindowStart(start).setWindowEnd(start.plus(1, ChronoUnit.HOURS));
            }
        }
        return b.build();
    }
}
