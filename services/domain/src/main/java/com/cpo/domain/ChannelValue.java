package com.cpo.domain;

/**
 * One channel's optical values at one alignment step.
 *
 * @param step PRE_CURE, POST_UV or POST_THERMAL
 * @param channel 1-based channel number
 * @param couplingLossDb coupling loss in dB
 * @param pdlDb polarization-dependent loss in dB, or null when not measured
 */
public record ChannelValue(String step, int channel, double couplingLossDb, Double pdlDb) {

    public ChannelValue(String step, int channel, double couplingLossDb) {
        this(step, channel, couplingLossDb, null);
    }
}
