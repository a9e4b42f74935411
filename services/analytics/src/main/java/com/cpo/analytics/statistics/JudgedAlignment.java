package com.cpo.analytics.statistics;

/**
 * The final (post-thermal-cure) coupling loss of every channel of one judged alignment run, with what the
 * statistics need to place and judge it.
 *
 * @param couplingLossDb index channel − 1
 * @param lowerLimitDb per channel (index channel − 1), the lower bound of the coupling-loss limit that binds it, or null
 * @param upperLimitDb per channel, the upper bound of the binding limit, or null
 * @param hour the start of the plant hour the run started in, or null when the run started before the hourly windows'
 *        grace: it then counts in the all-time and per-lot statistics, its hourly window is closed (and a correction is emitted)
 */
public record JudgedAlignment(String product, String lot, String station, long runStartMs, long eventTimeMs, double[] couplingLossDb,
        Double[] lowerLimitDb, Double[] upperLimitDb, java.time.Instant hour) {
}
