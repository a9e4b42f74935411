package com.cpo.domain;

/** Result of a run. An INCOMPLETE run (aborted, measurements missing, no limits) never counts as a pass. */
public enum Outcome {
    PASS, FAIL, INCOMPLETE;

    public boolean passed() {
        return this == PASS;
    }
}
