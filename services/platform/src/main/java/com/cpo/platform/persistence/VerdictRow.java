package com.cpo.platform.persistence;

import java.time.Instant;

import com.cpo.domain.Outcome;

/**
 * A verdict to store: the columns of {@code verdicts} that come from the event.
 *
 * @param limitSetVersion null when no limit set was in force at the run's start
 * @param reason why an INCOMPLETE run is incomplete; null otherwise
 */
public record VerdictRow(String eventId, String runId, String operation, int attempt, String station,
        Instant runStartTime, Instant eventTime, Outcome outcome, String limitSetId, Integer limitSetVersion,
        String reason) {
}
