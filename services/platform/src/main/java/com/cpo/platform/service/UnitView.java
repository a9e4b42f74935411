package com.cpo.platform.service;

import java.time.Instant;
import java.util.List;

/**
 * A unit with all its runs, as {@code GET /api/units/{serial}} returns it.
 *
 * @param runs every judged run of every operation, in start-time order
 * @param runsInProgress runs started at a station and not judged yet, with what was measured so far
 * @param dpat its passing ALIGN runs screened by DPAT (empty when DPAT is off for the product), with the robust limits that applied
 */
public record UnitView(String serial, String product, String lot, Genealogy genealogy, List<Run> runs, List<Run> runsInProgress,
        List<DpatService.RunScreen> dpat) {

    /**
     * What the unit is made of, as its alignment tester reported it; each null when never reported.
     *
     * @param picWafer the wafer its photonic IC was cut from
     * @param picDie the die's position on that wafer
     * @param fiberArraySerial the fiber array unit aligned to it
     */
    public record Genealogy(String picWafer, String picDie, String fiberArraySerial) {
    }

    /**
     * One run.
     *
     * @param attempt 1 for the unit's first run of this operation, 2 for the first retest, ...
     * @param outcome PASS, FAIL or INCOMPLETE; null for a run in progress
     * @param limitSetVersion the version it was judged by; for a run in progress the one in force at its start,
     *        or null when none was (or it is not known to this service)
     * @param reason why an INCOMPLETE run is incomplete; null otherwise
     * @param operator who ran the test, when the station reported the run's start
     * @param completedAt when the station reported the run's end; null before
     * @param measurements per-channel values at each alignment step, each with the limits it was judged against
     * @param burnIn per-channel burn-in summaries
     */
    public record Run(String runId, String operation, int attempt, String station, Instant runStartTime,
            String outcome, String limitSetId, Integer limitSetVersion, String reason, List<FailedCheck> failedChecks,
            String operator, Instant completedAt, List<Measurement> measurements, List<BurnInChannel> burnIn) {
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

    /**
     * A measured value with the limit that applies to it (both null when the limit set has none for it or is
     * not known to this service).
     *
     * @param withinLimits null when no limit applies
     */
    public record Measurement(String parameter, String step, int channel, double value, String unitOfMeasure,
            Double lowerLimit, Double upperLimit, Boolean withinLimits) {
    }

    /**
     * Burn-in of one channel, folded from its readings: raw change from the first to the last reading, an
     * at-a-glance figure. It is named so as not to be mistaken for the judged drift (final-window mean minus
     * stabilised baseline), which is the verdict's and appears in its failed checks.
     *
     * @param powerChangeFirstToLastDb last minus first power reading, dB
     * @param biasChangeFirstToLastPct (last - first) / first bias current, %
     */
    public record BurnInChannel(int slot, int channel, int readings, Instant firstReadingAt, Instant lastReadingAt,
            double firstPowerDbm, double lastPowerDbm, double minPowerDbm, double maxPowerDbm, double powerChangeFirstToLastDb,
            double firstBiasCurrentMa, double lastBiasCurrentMa, Double biasChangeFirstToLastPct, double maxCaseTemperatureC) {
    }
}
