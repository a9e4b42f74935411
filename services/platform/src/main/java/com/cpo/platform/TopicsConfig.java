package com.cpo.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Topic names, under {@code cpo.topics.} like every other component's; the defaults are those of
 * {@link com.cpo.schemas.Topics}. The Kafka channel configuration refers to these keys, so renaming a
 * topic is one setting.
 */
@ConfigMapping(prefix = "cpo.topics")
public interface TopicsConfig {

    /** {@code cpo.topics.verdicts}: read by the {@code verdicts} channel. */
    @WithDefault("cpo.verdicts.v1")
    String verdicts();

    /**
     * {@code cpo.topics.station-events}: raw station events (RunStarted, AlignmentResult, BurnInReading,
     * RunCompleted), read by the {@code station-events} channel into runs and measurements.
     */
    @WithDefault("cpo.station-events.v1")
    String stationEvents();

    /**
     * {@code cpo.topics.limits}: the compacted topic of released limit sets, key {@code limitSetId@version}.
     * Every release is published there (channel {@code limits-out}); releases published by others are
     * mirrored from it (channel {@code limits-in}).
     */
    @WithDefault("cpo.limits.v1")
    String limits();

    /**
     * {@code cpo.topics.dead-letter}: where records that cannot be decoded or stored are sent as received,
     * with the reason in headers.
     */
    @WithDefault("cpo.dead-letter.v1")
    String deadLetter();

    /** {@code cpo.topics.corrections}: records that came too late to count where they belong, with the reason in headers. */
    @WithDefault("cpo.corrections.v1")
    String corrections();

    /** {@code cpo.topics.yield}: the analytics app's current yield per group (compacted); read by the dashboard feed. */
    @WithDefault("cpo.yield.v1")
    String yield();

    /** {@code cpo.topics.rty}: rolled throughput yield per product and lot (compacted); read by the dashboard feed. */
    @WithDefault("cpo.rty.v1")
    String rty();

    /**
     * {@code cpo.topics.coupling-loss-stats}: coupling-loss statistics per scope and channel (compacted); read by
     * the dashboard feed.
     */
    @WithDefault("cpo.coupling-loss-stats.v1")
    String couplingLossStats();

    /** {@code cpo.topics.burnin-alarms}: changes of burn-in alarms while units are in the rack; read by the dashboard feed and into the alarms' lifecycle. */
    @WithDefault("cpo.burnin-alarms.v1")
    String burninAlarms();

    /**
     * {@code cpo.topics.burnin-status}: where each unit in a burn-in rack stands (compacted, a tombstone when it
     * leaves); read by the dashboard feed for the rack panel.
     */
    @WithDefault("cpo.burnin-status.v1")
    String burninStatus();

    /** {@code cpo.topics.spc-baselines}: frozen control-chart baselines, published by the service (compacted). */
    @WithDefault("cpo.spc-baselines.v1")
    String spcBaselines();

    /** {@code cpo.topics.spc-points}: closed hourly subgroups of the control charts (compacted), stored by the service. */
    @WithDefault("cpo.spc-points.v1")
    String spcPoints();

    /** {@code cpo.topics.spc-violations}: Western Electric rule violations, stored by the service. */
    @WithDefault("cpo.spc-violations.v1")
    String spcViolations();
}
