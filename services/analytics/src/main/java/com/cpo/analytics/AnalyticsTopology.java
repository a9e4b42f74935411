package com.cpo.analytics;

import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.analytics.judge.JudgeOutput;
import com.cpo.analytics.judge.LimitSetLoader;
import com.cpo.analytics.judge.RunJudgeProcessor;
import com.cpo.analytics.state.Names;
import com.cpo.analytics.state.RunStateSerde;
import com.cpo.analytics.statistics.StatisticsTopology;
import com.cpo.analytics.yield.UnitHistory;
import com.cpo.analytics.yield.YieldContribution;
import com.cpo.analytics.yield.YieldTopology;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventSerdes;

/**
 * The one topology of the analytics application, built by {@link #build(AnalyticsConfig)}; tests call it directly. It
 * wires the concerns together; each lives in its package. Every node, store and internal topic is named
 * ({@link Names}), and the application refuses generated names, so a refactor never silently orphans a changelog.
 *
 * <pre>
 * station events ─▶ judge-runs ─┬▶ verdicts
 *   (run-state store,           ├▶ burn-in alarms, burn-in status (compacted)
 *    limit-sets global store)   ├▶ yield deltas ─▶ yield by lot/station/first station/shift/hour/day ─▶ yield, RTY
 *                               ├▶ coupling-loss batches ─┬▶ statistics by station/lot, by station-hour ─▶ statistics
 *                               │                         └▶ control charts by product|station (spc-baselines global store)
 *                               │                             ─▶ SPC points (compacted), SPC violations
 *                               ├▶ corrections (late events, reason in headers)
 *                               └▶ dead letter (undecodable or invalid events, reason in headers)
 * </pre>
 */
public final class AnalyticsTopology {

    private AnalyticsTopology() {
    }

    public static Topology build(AnalyticsConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        // the judge's stores cache their writes until the next commit: the several updates of one run within a commit
        // interval reach RocksDB and the changelog once, not once per event
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.RUN_STORE), Serdes.String(), new RunStateSerde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.STATS_BUFFER_STORE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.UNIT_HISTORY_STORE), Serdes.String(),
                UnitHistory.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.PENDING_RUNS_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.JUDGED_INDEX_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.YIELD_BUFFER_STORE), Serdes.String(),
                YieldContribution.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        StatisticsTopology.addStores(builder, config);
        com.cpo.analytics.spc.SpcTopology.addStores(builder);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.LIMITS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                config.limitsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(Names.LIMITS_SOURCE), LimitSetLoader::new);

        KStream<String, JudgeOutput> judged = builder
                .stream(config.stationEventsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(Names.STATION_EVENTS_SOURCE))
                .process(() -> new RunJudgeProcessor(config), Named.as(Names.JUDGE_RUNS), RunJudgeProcessor.stores());

        Map<String, KStream<String, JudgeOutput>> routes = judged.split(Named.as("route-"))
                .branch((k, v) -> v instanceof JudgeOutput.VerdictOut, Branched.as("verdicts"))
                .branch((k, v) -> v instanceof JudgeOutput.AlarmOut, Branched.as("alarms"))
                .branch((k, v) -> v instanceof JudgeOutput.StatusOut, Branched.as("burnin-status"))
                .branch((k, v) -> v instanceof JudgeOutput.StatisticsOut, Branched.as("statistics-batches"))
                .branch((k, v) -> v instanceof JudgeOutput.YieldDeltaOut, Branched.as("yield-deltas"))
                .branch((k, v) -> v instanceof JudgeOutput.CorrectionOut, Branched.as("corrections"))
                .branch((k, v) -> v instanceof JudgeOutput.DeadLetterOut, Branched.as("dead-letters"))
                .noDefaultBranch();

        routes.get("route-verdicts").mapValues(v -> ((JudgeOutput.VerdictOut) v).verdict(), Named.as("verdict-payload"))
                .to(config.verdictsTopic(), Produced.with(Serdes.String(), EventSerdes.of(Verdict.class)).withName("verdicts-sink"));
        routes.get("route-alarms").mapValues(v -> ((JudgeOutput.AlarmOut) v).alarm(), Named.as("alarm-payload"))
                .to(config.alarmsTopic(), Produced.with(Serdes.String(), EventSerdes.of(BurnInAlarm.class)).withName("alarms-sink"));
        routes.get("route-burnin-status").mapValues(v -> ((JudgeOutput.StatusOut) v).status(), Named.as("burnin-status-payload"))
                .to(config.burnInStatusTopic(), Produced.with(Serdes.String(), EventSerdes.of(BurnInStatus.class)).withName("burnin-status-sink"));
        routes.get("route-corrections").mapValues(v -> ((JudgeOutput.CorrectionOut) v).value(), Named.as("correction-payload"))
                .to(config.correctionsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("corrections-sink"));
        routes.get("route-dead-letters").mapValues(v -> ((JudgeOutput.DeadLetterOut) v).value(), Named.as("dead-letter-payload"))
                .to(config.deadLetterTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letter-sink"));
        YieldTopology.build(config, routes.get("route-yield-deltas").mapValues(v -> ((JudgeOutput.YieldDeltaOut) v).delta(),
                Named.as("yield-delta-payload")));
        KStream<String, byte[]> batches = routes.get("route-statistics-batches").mapValues(v -> ((JudgeOutput.StatisticsOut) v).entries(),
                Named.as("coupling-loss-batch-values"));
        StatisticsTopology.build(config, batches);
        com.cpo.analytics.spc.SpcTopology.build(batches);
        return builder.build();
    }
}
