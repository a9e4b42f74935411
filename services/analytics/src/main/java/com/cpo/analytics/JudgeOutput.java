package com.cpo.analytics;

/**
 * What the run judge emits, routed by kind to its topic or to the aggregations downstream.
 *
 * @param kind where it goes
 * @param payload a Verdict or BurnInAlarm event, the raw bytes of a dead or late record, or a
 *        {@link StatisticsBatch} or a {@link YieldContribution} delta
 */
record JudgeOutput(Kind kind, Object payload) {

    enum Kind {
        VERDICT, ALARM, DEAD_LETTER, CORRECTION, STATISTICS_BATCH, YIELD_DELTA
    }
}
