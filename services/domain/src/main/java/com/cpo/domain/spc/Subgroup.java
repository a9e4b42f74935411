package com.cpo.domain.spc;

/**
 * One subgroup of a control chart: the coupling losses of the units of one chart (product × station × channel) whose
 * runs started in one plant hour.
 *
 * @param n units in it
 * @param mean their mean, dB
 * @param stdDev their sample standard deviation, dB (NaN for a single unit)
 */
public record Subgroup(long n, double mean, double stdDev) {

    public Subgroup {
        if (n < 1) {
            throw new IllegalArgumentException("a subgroup holds at least one unit, not " + n);
        }
    }
}
