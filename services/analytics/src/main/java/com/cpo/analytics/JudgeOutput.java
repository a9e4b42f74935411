package com.cpo.analytics;

/**
 * What the run judge emits, routed by kind to its topic or to the aggregations downstream.
 *
 * @param kind where it goes
 * @param payload a Verdict, BurnInAlarm or BurnInStatus event (null: the tombstone of a unit that left the rack), the raw bytes of a dead or late record, or a
 *        {@link StatisticsBatch} or a {@link YieldContribution} delta
 */
record JudgeOutput(Kind kind, Object payload) {

    enum Kind {
        VERDICT, ALARM, BURNIN_STATUS, DEAD_LETTER, CORRECTION, STATISTICS_BATCH, YIELD_DELTA
    }
}
