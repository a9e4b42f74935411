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
        String problem = problem(parameter, channel, lower, upper);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why these cannot form a limit, or null when they can: a parameter, at least one bound, finite bounds with
     * the lower not above the upper, and a channel (when given) that a unit can have.
     */
    public static String problem(String parameter, Integer channel, Double lower, Double upper) {
        if (parameter == null || parameter.isBlank()) {
            return "limit without parameter";
        }
        if (lower == null && upper == null) {
            return "limit on " + parameter + " has neither a lower nor an upper limit";
        }
        if (lower != null && !Double.isFinite(lower) || upper != null && !Double.isFinite(upper)) {
            return "limit on " + parameter + " has a bound that is not a finite number";
        }
        if (lower != null && upper != null && lower > upper) {
            return "limit on " + parameter + ": lower " + lower + " > upper " + upper;
        }
        if (channel != null && Channels.channelProblem(channel, Channels.MAX) != null) {
            return "limit on " + parameter + ": " + Channels.channelProblem(channel, Channels.MAX);
        }
        return null;
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
