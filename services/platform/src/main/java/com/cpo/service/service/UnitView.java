package com.cpo.service.service;

import java.time.Instant;
import java.util.List;

/**
 * A unit with all its runs, as {@code GET /api/units/{serial}} returns it.
 *
 * @param runs every run of every operation, in start-time order
 */
public record UnitView(String serial, String product, String lot, List<Run> runs) {

    /**
     * One judged run.
     *
     * @param attempt 1 for the unit's first run of this operation, 2 for the first retest, ...
     * @param limitSetVersion null when no limit set was in force at the run's start
     * @param reason why an INCOMPLETE run is incomplete; null otherwise
     */
    public record Run(String runId, String operation, int attempt, String station, Instant runStartTime,
            String outcome, String limitSetId, Integer limitSetVersion, String reason, List<FailedCheck> failedChecks) {
    }

    /**
     * One failed check; value and limits are in {@code unitOfMeasure}.
     *
     * @param channel null for a check over the whole unit
     * @param lowerLimit null when the limit has no lower bound
     * @param upperLimit null when the limit has no upper bound
     */
    public record FailedCheck(String parameter, String step, Integer channel, double value, Double lowerLimit,
            Double upperLimit, String unitOfMeasure) {
    }
}
