package com.cpo.analytics.statistics;

/** A batch of final coupling-loss values of one scope and channel, with the limits last in force. */
record StatisticsInput(double[] valuesDb, Double lowerLimitDb, Double upperLimitDb, long eventTimeMs) {
}
