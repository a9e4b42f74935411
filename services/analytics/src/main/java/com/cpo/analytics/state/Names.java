package com.cpo.analytics.state;

/**
 * The catalogue of every store, node and internal topic name of the topology. The values are those the changelog and
 * repartition topics were created with: changing one orphans a changelog, so they only ever move here, never change.
 */
public final class Names {

    private Names() {
    }

    // ---- sources and the judge
    public static final String STATION_EVENTS_SOURCE = "station-events-source";
    public static final String JUDGE_RUNS = "judge-runs";
    public static final String LIMITS_SOURCE = "limit-sets-source";
    public static final String LIMITS_LOADER = "limit-sets-loader";

    // ---- the judge's stores
    /** Runs being assembled and judged runs (to ignore redeliveries), keyed by run id. */
    public static final String RUN_STORE = "run-state-store";
    /** Every released limit-set version, keyed limitSetId@version (global). */
    public static final String LIMITS_STORE = "limit-sets-store";
    /** Runs whose completion arrived but that are not judged yet (measurements missing), keyed by run id. */
    public static final String PENDING_RUNS_STORE = "pending-runs-store";
    /** Judged runs by when they were judged (zero-padded ms|runId), for compacting their state after the retention. */
    public static final String JUDGED_INDEX_STORE = "judged-runs-index-store";
    /** The judge's stream time (latest alignment run start), kept across restarts and task moves. */
    public static final String STREAM_TIME_STORE = "stream-time-store";

    // ---- yield
    /** Each unit's judged runs per operation, keyed product|serial|operation. */
    public static final String UNIT_HISTORY_STORE = "unit-history-store";
    /** Yield deltas waiting for the next flush, keyed by group. */
    public static final String YIELD_BUFFER_STORE = "yield-buffer-store";
    /** Current yield counts of every group, keyed DIMENSION|product|operation|group. */
    public static final String YIELD_STORE = "yield-store";
    /** Rolled throughput yield per product|lot. */
    public static final String RTY_STORE = "rty-store";
    public static final String YIELD_DELTAS_BY_GROUP = "yield-deltas-by-group";
    public static final String LOT_YIELD_BY_PRODUCT_LOT = "lot-yield-by-product-lot";

    // ---- coupling-loss statistics
    /** Coupling-loss values waiting for the next statistics batch, keyed by chunk. */
    public static final String STATS_BUFFER_STORE = "coupling-loss-buffer-store";
    /** Per all-time or per-lot scope, every channel's distribution. */
    public static final String STATS_STORE = "coupling-loss-scope-stats-store";
    /** Hourly statistics per product|station, one window per plant hour, kept for the hourly retention. */
    public static final String HOURLY_STATS_STORE = "coupling-loss-hourly-stats-store";
    public static final String STATS_BATCHES_BY_SCOPE = "coupling-loss-batches-by-scope";

    // ---- statistical process control
    /** The latest frozen baseline per product|station (global, from cpo.spc-baselines.v1). */
    public static final String SPC_BASELINES_STORE = "spc-baselines-store";
    public static final String SPC_BASELINES_SOURCE = "spc-baselines-source";
    /** Per product|station: the open hour's sums per channel and each channel's latest standardized points. */
    public static final String SPC_CHART_STORE = "spc-chart-store";
    public static final String SPC_VALUES_BY_STATION = "spc-values-by-station";
}
