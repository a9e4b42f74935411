package com.cpo.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.cpo.domain.stats.Capability;
import com.cpo.domain.stats.DistributionSummary;
import com.cpo.domain.stats.FixedBinHistogram;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.Operation;
import com.cpo.events.RolledThroughputYield;
import com.cpo.events.StatisticsScope;
import com.cpo.events.Verdict;
import com.cpo.events.YieldDimension;
import com.cpo.events.YieldFigures;
import com.cpo.schemas.EventSerdes;

/**
 * The one topology of the analytics application, built by {@link #build(AnalyticsConfig)}; tests call
 * it directly. Every node, store and internal topic is named here (and the application refuses
 * generated names), so a refactor never silently orphans a changelog.
 *
 * <pre>
 * station events ─▶ judge-runs ─┬▶ verdicts ─▶ unit histories (table) ─▶ yield by lot/station/shift/hour/day ─▶ yield
 *   (run-state store,           ├▶ burn-in alarms
 *    limit-sets global store)   ├▶ coupling-loss values ─▶ statistics by station/lot/hour ─▶ coupling-loss stats
 *                               ├▶ corrections (late events, reason in headers)
 *                               └▶ dead letter (undecodable events, reason in headers)
 * </pre>
 */
public final class AnalyticsTopology {

    public static final String STATION_EVENTS_SOURCE = "station-events-source";
    public static final String JUDGE_RUNS = "judge-runs";
    public static final String LIMITS_SOURCE = "limit-sets-source";
    public static final String LIMITS_LOADER = "limit-sets-loader";

    /** Runs being assembled and judged runs (to ignore redeliveries), keyed by run id. */
    public static final String RUN_STORE = "run-state-store";
    /** Every released limit-set version, keyed limitSetId@version. */
    public static final String LIMITS_STORE = "limit-sets-store";
    /** Runs whose completion arrived but that are not judged yet (measurements missing), keyed by run id. */
    public static final String PENDING_RUNS_STORE = "pending-runs-store";
    /** Judged runs by when they were judged (zero-padded ms|runId), for compacting their state after the retention. */
    public static final String JUDGED_INDEX_STORE = "judged-runs-index-store";
    /** Each unit's judged runs per operation, keyed product|serial|operation. */
    public static final String UNIT_HISTORY_STORE = "unit-history-store";
    /** Yield deltas waiting for the next flush, keyed by group. */
    public static final String YIELD_BUFFER_STORE = "yield-buffer-store";
    /** Current yield counts of every group, keyed like {@link YieldFigures#getKey()} (DIMENSION|product|operation|group). */
    public static final String YIELD_STORE = "yield-store";
    /** Coupling-loss values waiting for the next statistics batch, keyed by scope (without channel). */
    public static final String STATS_BUFFER_STORE = "coupling-loss-buffer-store";
    /** Coupling-loss statistics per scope and channel, keyed like {@link CouplingLossStatistics#getKey()}. */
    /** Per scope, every channel's distribution (the per-channel store before it was named coupling-loss-stats-store). */
    public static final String STATS_STORE = "coupling-loss-scope-stats-store";

    /**
     * Hourly coupling-loss statistics per product|station (scope without the hour), one window per hour, kept for
     * {@code cpo.analytics.hourly-statistics-retention-ms}: old hours leave with their segments.
     */
    public static final String HOURLY_STATS_STORE = "coupling-loss-hourly-stats-store";
    /** The judge's stream time (latest alignment run start), kept across restarts and task moves. */
    public static final String STREAM_TIME_STORE = "stream-time-store";

    /** Rolled throughput yield per product|lot. */
    public static final String RTY_STORE = "rty-store";

    /** Yield shifts by run start, UTC: A 06–14, B 14–22, C 22–06. */
    static String shiftOf(long startMs) {
        int hour = Instant.ofEpochMilli(startMs).atZone(ZoneOffset.UTC).getHour();
        return hour >= 6 && hour < 14 ? "A" : hour >= 14 && hour < 22 ? "B" : "C";
    }

    private AnalyticsTopology() {
    }

    public static Topology build(AnalyticsConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        // The judge's stores cache their writes until the next commit: the several updates of one run
        // within a commit interval reach RocksDB and the changelog once, not once per event.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), new RunStateSerde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS_BUFFER_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(UNIT_HISTORY_STORE), Serdes.String(), UnitHistory.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_RUNS_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JUDGED_INDEX_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(YIELD_BUFFER_STORE), Serdes.String(),
                YieldContribution.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(HOURLY_STATS_STORE,
                config.hourlyStatisticsRetention(), Duration.ofHours(1), false), Serdes.String(), ScopeStatistics.serde()));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIMITS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                config.limitsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(LIMITS_SOURCE), LimitSetLoader::new);

        KStream<String, JudgeOutput> judged = builder
                .stream(config.stationEventsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(STATION_EVENTS_SOURCE))
                .process(() -> new RunJudgeProcessor(config), Named.as(JUDGE_RUNS), RUN_STORE, STATS_BUFFER_STORE,
                        UNIT_HISTORY_STORE, YIELD_BUFFER_STORE, PENDING_RUNS_STORE, JUDGED_INDEX_STORE, STREAM_TIME_STORE);

        Map<String, KStream<String, JudgeOutput>> routes = judged.split(Named.as("route-"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.VERDICT, Branched.as("verdicts"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.ALARM, Branched.as("alarms"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.BURNIN_STATUS, Branched.as("burnin-status"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.STATISTICS_BATCH, Branched.as("statistics-batches"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.YIELD_DELTA, Branched.as("yield-deltas"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.CORRECTION, Branched.as("corrections"))
                .branch((k, v) -> v.kind() == JudgeOutput.Kind.DEAD_LETTER, Branched.as("dead-letters"))
                .noDefaultBranch();

        Serde<Verdict> verdictSerde = EventSerdes.of(Verdict.class);
        KStream<String, Verdict> verdicts = routes.get("route-verdicts")
                .mapValues(v -> (Verdict) v.payload(), Named.as("verdict-payload"));
        verdicts.to(config.verdictsTopic(), Produced.with(Serdes.String(), verdictSerde).withName("verdicts-sink"));
        routes.get("route-alarms").mapValues(v -> (BurnInAlarm) v.payload(), Named.as("alarm-payload"))
                .to(config.alarmsTopic(), Produced.with(Serdes.String(), EventSerdes.of(BurnInAlarm.class)).withName("alarms-sink"));
        // a null payload is the tombstone of a unit that left the rack
        routes.get("route-burnin-status").mapValues(v -> (BurnInStatus) v.payload(), Named.as("burnin-status-payload"))
                .to(config.burnInStatusTopic(), Produced.with(Serdes.String(), EventSerdes.of(BurnInStatus.class)).withName("burnin-status-sink"));
        routes.get("route-corrections").mapValues(v -> (byte[]) v.payload(), Named.as("correction-payload"))
                .to(config.correctionsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("corrections-sink"));
        routes.get("route-dead-letters").mapValues(v -> (byte[]) v.payload(), Named.as("dead-letter-payload"))
                .to(config.deadLetterTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letter-sink"));

        buildYield(config, routes.get("route-yield-deltas"));
        buildStatistics(config, routes.get("route-statistics-batches"));
        return builder.build();
    }

    /**
     * Yield per group from the unit table's deltas (see {@link RunJudgeProcessor}): each group's figures
     * are the sum of its units' contributions, and a unit's update subtracts its old contribution before
     * adding the new one — so a retest replaces, never adds, and a late retest updates the group of the
     * unit's first run.
     */
    private static void buildYield(AnalyticsConfig config, KStream<String, JudgeOutput> deltas) {
        KTable<String, YieldAggregate> yield = deltas
                .mapValues(v -> (YieldContribution) v.payload(), Named.as("yield-delta-payload"))
                .groupByKey(Grouped.with("yield-deltas-by-group", Serdes.String(), YieldContribution.serde()))
                .aggregate(YieldAggregate::zero, (k, delta, agg) -> agg.add(delta), Named.as("yield"),
                        Materialized.<String, YieldAggregate>as(Stores.persistentKeyValueStore(YIELD_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(YieldAggregate.serde()));
        yield.toStream(Named.as("yield-updates"))
                .mapValues((key, agg) -> toYieldFigures(key, agg), Named.as("yield-figures"))
                .to(config.yieldTopic(), Produced.with(Serdes.String(), EventSerdes.of(YieldFigures.class)).withName("yield-to-topic"));
        buildRolledThroughputYield(config, yield.filter((key, agg) -> key.startsWith(YieldDimension.LOT + "|"), Named.as("lot-yield")));
    }

    /** RTY per product and lot: the product of the lot's first-pass yields over the operations seen. */
    private static void buildRolledThroughputYield(AnalyticsConfig config, KTable<String, YieldAggregate> lotYield) {
        lotYield
                .groupBy((key, agg) -> {
                    String[] p = key.split("\\|", 4); // LOT|product|operation|lot
                    return KeyValue.pair(p[1] + "|" + p[3], new FirstPassYield(p[2], agg.sum().units(), agg.sum().firstPassUnits(),
                            agg.sum().latestRunStartMs()));
                }, Grouped.with("lot-yield-by-product-lot", Serdes.String(), FirstPassYield.serde()))
                .aggregate(RtyAggregate::new, (k, fpy, agg) -> agg.put(fpy), (k, fpy, agg) -> agg.remove(fpy), Named.as("rty"),
                        Materialized.<String, RtyAggregate>as(Stores.persistentKeyValueStore(RTY_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(RtyAggregate.serde()))
                .toStream(Named.as("rty-updates"))
                .mapValues((key, agg) -> agg.toEvent(key), Named.as("rty-figures"))
                .to(config.rtyTopic(), Produced.with(Serdes.String(), EventSerdes.of(RolledThroughputYield.class)).withName("rty-to-topic"));
    }

    /** DIMENSION|product|operation|group, e.g. LOT|CPO-OE16|ALIGN|L261124-01. */
    static String yieldKey(YieldDimension dimension, UnitHistory h) {
        UnitHistory.Run first = h.first();
        String group = switch (dimension) {
            case LOT -> h.lot();
            case STATION -> first.station();
            case SHIFT -> shiftOf(first.startMs());
            case HOUR -> Instant.ofEpochMilli(first.startMs()).truncatedTo(ChronoUnit.HOURS).toString();
            case DAY -> Instant.ofEpochMilli(first.startMs()).truncatedTo(ChronoUnit.DAYS).toString();
        };
        return dimension + "|" + h.product() + "|" + h.operation() + "|" + group;
    }

    static YieldFigures toYieldFigures(String key, YieldAggregate agg) {
        String[] parts = key.split("\\|", 4);
        YieldDimension dimension = YieldDimension.valueOf(parts[0]);
        YieldContribution c = agg.sum();
        Instant windowStart = null;
        Instant windowEnd = null;
        if (dimension == YieldDimension.HOUR || dimension == YieldDimension.DAY) {
            windowStart = Instant.parse(parts[3]);
            windowEnd = windowStart.plus(1, dimension == YieldDimension.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
        }
        return YieldFigures.newBuilder()
                .setEventId(key + "#" + agg.revision())
                .setEventTime(Instant.ofEpochMilli(c.latestRunStartMs()))
                .setKey(key)
                .setRevision(agg.revision())
                .setDimension(dimension)
                .setProduct(parts[1])
                .setOperation(Operation.valueOf(parts[2]))
                .setGroup(parts[3])
                .setWindowStart(windowStart)
                .setWindowEnd(windowEnd)
                .setUnits(c.units())
                .setFirstPassUnits(c.firstPassUnits())
                .setFinalPassUnits(c.finalPassUnits())
                .setRuns(c.runs())
                .setPassedRuns(c.passedRuns())
                .setIncompleteRuns(c.incompleteRuns())
                .setFirstPassYield(c.units() == 0 ? null : (double) c.firstPassUnits() / c.units())
                .setFinalYield(c.units() == 0 ? null : (double) c.finalPassUnits() / c.units())
                .setTestYield(c.runs() == 0 ? null : (double) c.passedRuns() / c.runs())
                .setRetestRate(c.units() == 0 ? null : (double) (c.runs() - c.units()) / c.units())
                .build();
    }

    /**
     * Coupling-loss statistics per channel: all time per station, per lot, and per station-hour. Each scope's
     * channels are aggregated in one record; the figures of the channels a batch changed are emitted, one record
     * per channel. The store is not cached: a cache would fold several batches into one update and hide which
     * channels the earlier ones changed (the buffer upstream already batches once a second).
     */
    private static void buildStatistics(AnalyticsConfig config, KStream<String, JudgeOutput> batches) {
        Map<String, KStream<String, byte[]>> scopes = batches
                .mapValues(output -> ((StatisticsBatch) output.payload()).entries(), Named.as("coupling-loss-batch-values"))
                .split(Named.as("coupling-loss-"))
                .branch((scope, entries) -> scope.startsWith(StatisticsScope.STATION_HOUR + "|"), Branched.as("hourly"))
                .defaultBranch(Branched.as("all-time"));
        scopes.get("coupling-loss-all-time")
                .groupByKey(Grouped.with("coupling-loss-batches-by-scope", Serdes.String(), Serdes.ByteArray()))
                .aggregate(ScopeStatistics::new,
                        (scope, entries, agg) -> agg.add(new StatisticsBatch(scope, entries)),
                        Named.as("coupling-loss-stats"),
                        Materialized.<String, ScopeStatistics>as(Stores.persistentKeyValueStore(STATS_STORE))
                                .withKeySerde(Serdes.String()).withValueSerde(ScopeStatistics.serde()).withCachingDisabled())
                .toStream(Named.as("coupling-loss-stats-updates"))
                .flatMap((scope, agg) -> agg.lastChanged.stream()
                        .map(channel -> KeyValue.pair(scope + "|" + channel, toStatistics(scope + "|" + channel, agg.channels.get(channel))))
                        .toList(), Named.as("coupling-loss-stats-figures"))
                .to(config.statsTopic(), Produced.with(Serdes.String(), EventSerdes.of(CouplingLossStatistics.class))
                        .withName("coupling-loss-stats-to-topic"));

        // hours live in a window store with a retention, so the hours of years are not keys kept forever; which runs
        // still count in their hour is decided upstream, by the judge's persisted stream time and the grace
        scopes.get("coupling-loss-hourly")
                .repartition(org.apache.kafka.streams.kstream.Repartitioned.<String, byte[]>as("coupling-loss-hourly-batches")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .process(() -> new HourlyStatisticsProcessor(), Named.as("coupling-loss-hourly-stats"), HOURLY_STATS_STORE)
                .to(config.statsTopic(), Produced.with(Serdes.String(), EventSerdes.of(CouplingLossStatistics.class))
                        .withName("coupling-loss-hourly-stats-to-topic"));
    }

    static CouplingLossStatistics toStatistics(String key, CouplingLossAggregate agg) {
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
                .setHistogramCounts(java.util.Arrays.stream(h.counts()).boxed().toList())
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
