package com.cpo.platform.persistence;

import java.time.Instant;

/** One raw measurement: a unit's coupling loss (and PDL) on one channel at one step of one ALIGN run. */
public record RawRow(String serial, String product, String lot, String runId, int attempt, String station,
        Instant runStart, String outcome, String step, int channel, double couplingLossDb, Double pdlDb) {
}
