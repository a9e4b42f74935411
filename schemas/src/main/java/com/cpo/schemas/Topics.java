package com.cpo.schemas;

import java.util.List;


/**
 * The catalogue of topics the platform's components talk over: the one place their names, keys and
 * values are defined. Components take the names from configuration whose defaults are these.
 */
public final class Topics {

    /** Raw station events: RunStarted, AlignmentResult, BurnInReading, RunCompleted. Key: unit serial. */
    public static final Topic STATION_EVENTS = new Topic("cpo.station-events.v1", "unit serial",
            "RunStarted | AlignmentResult | BurnInReading | RunCompleted", false);

    /** Released limit sets, compacted. Key: limitSetId@version. Value: LimitSet. */
    public static final Topic LIMITS = new Topic("cpo.limits.v1", "limitSetId@version", "LimitSet", true);

    /** Verdicts of completed runs. Key: unit serial. Value: Verdict. */
    public static final Topic VERDICTS = new Topic("cpo.verdicts.v1", "unit serial", "Verdict", false);

    /** Current yield per group (lot, station, shift, hour, day), compacted. Key: YieldFigures.key. */
    public static final Topic YIELD = new Topic("cpo.yield.v1", "YieldFigures.key", "YieldFigures", true);

    /** Rolled throughput yield per product and lot, compacted. Key: product|lot. */
    public static final Topic RTY = new Topic("cpo.rty.v1", "product|lot", "RolledThroughputYield", true);

    /** Current coupling-loss statistics per scope and channel, compacted. Key: CouplingLossStatistics.key. */
    public static final Topic COUPLING_LOSS_STATS = new Topic("cpo.coupling-loss-stats.v1", "CouplingLossStatistics.key",
            "CouplingLossStatistics", true);

    /** Burn-in alarms while units are still in the rack. Key: unit serial. */
    public static final Topic BURNIN_ALARMS = new Topic("cpo.burnin-alarms.v1", "unit serial", "BurnInAlarm", false);

    /**
     * Where each unit in a burn-in rack stands now (drift, slope, hours to limit per channel), compacted; a
     * tombstone once its run is judged. Key: run id.
     */
    public static final Topic BURNIN_STATUS = new Topic("cpo.burnin-status.v1", "run id", "BurnInStatus", true);

    /** Frozen baselines of the coupling-loss control charts, compacted. Key: product|station. Value: SpcBaseline. */
    public static final Topic SPC_BASELINES = new Topic("cpo.spc-baselines.v1", "product|station", "SpcBaseline", true);

    /** Closed hourly subgroups of the coupling-loss control charts, compacted. Key: product|station|channel|hour. */
    public static final Topic SPC_POINTS = new Topic("cpo.spc-points.v1", "product|station|channel|hour", "SpcPoint", true);

    /** Western Electric rule violations of the coupling-loss control charts. Key: product|station. */
    public static final Topic SPC_VIOLATIONS = new Topic("cpo.spc-violations.v1", "product|station", "SpcViolation", false);

    /** Station events later than the grace period, as received, with the reason in headers; never dropped. */
    public static final Topic CORRECTIONS = new Topic("cpo.corrections.v1", "as received", "as received", false);

    /** Events that could not be decoded or are invalid, as received, with the reason in headers. */
    public static final Topic DEAD_LETTER = new Topic("cpo.dead-letter.v1", "as received", "as received", false);

    /** Header names on dead-letter records. */
    public static final String HEADER_DLQ_REASON = "cpo.dlq.reason";
    public static final String HEADER_DLQ_SOURCE_TOPIC = "cpo.dlq.source.topic";
    public static final String HEADER_DLQ_SOURCE_PARTITION = "cpo.dlq.source.partition";
    public static final String HEADER_DLQ_SOURCE_OFFSET = "cpo.dlq.source.offset";

    public static List<Topic> all() {
        return List.of(STATION_EVENTS, LIMITS, VERDICTS, YIELD, RTY, COUPLING_LOSS_STATS, BURNIN_ALARMS, BURNIN_STATUS, SPC_BASELINES, SPC_POINTS,
                SPC_VIOLATIONS, CORRECTIONS, DEAD_LETTER);
    }

    private Topics() {
    }

    /**
     * A topic of the catalogue.
     *
     * @param name the topic name
     * @param key what the record key holds
     * @param value which event types the value holds
     * @param compacted whether the topic is log-compacted (latest value per key is kept forever)
     */
    public record Topic(String name, String key, String value, boolean compacted) {
    }
}
