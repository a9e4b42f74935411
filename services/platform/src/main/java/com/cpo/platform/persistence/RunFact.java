package com.cpo.platform.persistence;

import java.time.Instant;

import com.cpo.domain.Outcome;

/** One judged run, with what yield needs: whose unit, where, when it started and how it ended. */
public record RunFact(String operation, String product, String lot, String serial, String station, String runId,
        int attempt, Instant runStartTime, Outcome outcome) {
}
