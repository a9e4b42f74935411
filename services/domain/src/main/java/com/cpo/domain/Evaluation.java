package com.cpo.domain;

import java.util.List;

/**
 * The verdict of a run: its outcome, every failed check, and for INCOMPLETE the reason.
 */
public record Evaluation(Outcome outcome, List<FailedCheck> failedChecks, String reason) {

    public Evaluation {
        failedChecks = List.copyOf(failedChecks);
    }

    public static Evaluation incomplete(String reason) {
        return new Evaluation(Outcome.INCOMPLETE, List.of(), reason);
    }
}
