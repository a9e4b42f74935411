package com.cpo.domain;

/**
 * A lower and/or upper limit on one parameter, inclusive at both ends.
 *
 * @param parameter name of the parameter, e.g. {@link Parameters#COUPLING_LOSS}
 * @param channel the channel it applies to, or null for every channel
 * @param lower lowest passing value, or null when there is none
 * @param upper highest passing value, or null when there is none
 * @param unitOfMeasure unit of the limits and of the values they are compared with, e.g. dB
 */
public record Limit(String parameter, Integer channel, Double lower, Double upper, String unitOfMeasure) {

    public Limit {
        if (parameter == null || parameter.isBlank()) {
            throw new IllegalArgumentException("limit without parameter");
        }
        if (lower == null && upper == null) {
            throw new IllegalArgumentException("limit on " + parameter + " has neither a lower nor an upper limit");
        }
        if (lower != null && upper != null && lower > upper) {
            throw new IllegalArgumentException("limit on " + parameter + ": lower " + lower + " > upper " + upper);
        }
    }

    /** Whether this limit applies to the given channel. */
    public boolean appliesTo(int channelNumber) {
        return channel == null || channel == channelNumber;
    }

    /** Whether a value passes; NaN never passes. */
    public boolean passes(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return (lower == null || value >= lower) && (upper == null || value <= upper);
    }
}
