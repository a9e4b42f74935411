package com.cpo.domain;

/**
 * One channel's coupling loss at one alignment step.
 *
 * @param step PRE_CURE, POST_UV or POST_THERMAL
 * @param channel 1-based channel number
 * @param couplingLossDb coupling loss in dB
 */
public record ChannelValue(String step, int channel, double couplingLossDb) {
}
