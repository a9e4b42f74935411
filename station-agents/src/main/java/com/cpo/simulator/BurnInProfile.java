package com.cpo.simulator;

/** How a unit behaves in the rack. */
public enum BurnInProfile {
    /** Settles in minutes, then holds within reading noise and a small random drift. */
    STABLE,
    /**
     * Power of one or two channels falls 0.55 to 1.5 dB by the end (the limit is 0.5 dB), linearly or accelerating, from
     * the start or, for a third of them, from an onset at 20 to 50 % of the run (meant to fail).
     */
    POWER_DRIFT,
    /** Bias of one or two channels rises 5.5 to 15 % by the end (the limit is 5 %), shaped as power drift (meant to fail). */
    BIAS_DRIFT,
    /** One channel's power steps down 1.5 to 4 dB in the first 40 % of the run and stays (meant to fail). */
    SUDDEN_DROP,
    /** Every channel starts 0.2 to 0.5 dB high and settles with a 10 to 45 minute time constant (meant to pass). */
    SETTLING,
    /** One channel has one or two single readings 1.5 to 3 dB low, or 8 to 20 % high in bias (meant to pass). */
    OUTLIER,
    /** Every channel reads with 3 to 6 times the usual noise (meant to pass). */
    NOISY,
    /** One channel drifts 40 to 90 % of the way to a power or bias limit by the end, linearly (meant to pass). */
    MARGINAL_DRIFT;

    /** Power drift, bias drift and sudden drop are meant to fail. */
    public boolean meantToFail() {
        return this == POWER_DRIFT || this == BIAS_DRIFT || this == SUDDEN_DROP;
    }
}
