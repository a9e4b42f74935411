package com.cpo.domain;

/** Names of the parameters limits are set on, as they appear in limit sets and failed checks. */
public final class Parameters {

    /** Coupling (insertion) loss per channel at each alignment step, dB. */
    public static final String COUPLING_LOSS = "coupling_loss";
    /** Cure shift per channel: post-thermal minus pre-cure coupling loss, dB. */
    public static final String CURE_SHIFT = "cure_shift";
    /** Polarization-dependent loss per channel at each step where measured, dB. */
    public static final String PDL = "pdl";
    /** Channel-to-channel spread at each step: max minus min coupling loss over the channels, dB. */
    public static final String CHANNEL_SPREAD = "channel_spread";
    /** Burn-in power drift per channel: final-window mean minus baseline mean, dB. */
    public static final String POWER_DRIFT = "power_drift";
    /** Burn-in bias-current drift per channel: (final − baseline) / baseline, %. */
    public static final String BIAS_DRIFT = "bias_drift";
    /** Largest power fall between consecutive burn-in readings of a channel, dB (a positive number). */
    public static final String SUDDEN_DROP = "sudden_drop";

    private Parameters() {
    }
}
