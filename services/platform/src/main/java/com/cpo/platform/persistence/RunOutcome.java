package com.cpo.platform.persistence;

import java.time.Instant;

import com.cpo.domain.Outcome;

/** What yield needs of one run: whose unit, in which lot, when it started and how it ended. */
public record RunOutcome(String product, String lot, String serial, Instant runStartTime, Outcome outcome) {
}
