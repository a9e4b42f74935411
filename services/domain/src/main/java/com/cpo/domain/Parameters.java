package com.cpo.domain;

/** Names of the parameters limits are set on, as they appear in limit sets and failed checks. */
public final class Parameters {

    /** Coupling (insertion) loss per channel at each alignment step, dB. */
    public static final String COUPLING_LOSS = "coupling_loss";

    private Parameters() {
    }
}
