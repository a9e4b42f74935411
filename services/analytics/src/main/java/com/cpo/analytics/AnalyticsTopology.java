package com.cpo.analytics;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import com.cpo.schemas.EventSerializer;
import com.cpo.events.Verdict;

/**
 * The one topology of the analytics application, built by {@link #build(AnalyticsConfig)}; tests call
 * it directly. Every node and store is named here, so a refactor never silently orphans a changelog.
 *
 * <pre>
 * station events ─▶ judge-runs ─▶ verdicts
 *                      │  └─────▶ dead letter (undecodable / invalid events, reason in headers)
 *                      └ run-state store;  limit-sets global store ◀─ limits (compacted)
 * </pre>
 */
public final class AnalyticsTopology {

    public static final String STATION_EVENTS_SOURCE = "station-events-source";
    public static final String JUDGE_RUNS = "judge-runs";
    public static final String VERDICTS_SINK = "verdicts-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String LIMITS_SOURCE = "limit-sets-source";
    public static final String LIMITS_LOADER = "limit-sets-loader";

    /** Runs being assembled and judged runs (to ignore redeliveries), keyed by run id. */
    public static final String RUN_STORE = "run-state-store";
    /** Every released limit-set version, keyed limitSetId@version. */
    public static final String LIMITS_STORE = "limit-sets-store";

    private AnalyticsTopology() {
    }

    public static Topology build(AnalyticsConfig config) {
        Topology topology = new Topology();
        topology.addSource(STATION_EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.stationEventsTopic());
        topology.addProcessor(JUDGE_RUNS, () -> new RunJudgeProcessor(config), STATION_EVENTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), new RunStateSerde()),
                JUDGE_RUNS);
        topology.addSink(VERDICTS_SINK, config.verdictsTopic(), new StringSerializer(), new EventSerializer<Verdict>(), JUDGE_RUNS);
        topology.addSink(DEAD_LETTER_SINK, config.deadLetterTopic(), new StringSerializer(), new ByteArraySerializer(), JUDGE_RUNS);
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LIMITS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                LIMITS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.limitsTopic(), LIMITS_LOADER,
                LimitSetLoader::new);
        return topology;
    }
}
