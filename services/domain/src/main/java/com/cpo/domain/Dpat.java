package com.cpo.domain;

import java.util.Optional;

import com.cpo.domain.stats.Percentiles;

/**
 * Dynamic part average testing (after AEC-Q001): robust limits from a population of passing units, median ± k × robust σ
 * with robust σ = IQR / 1.35 (the IQR of a normal distribution is 1.35 σ), quartiles and median by the platform's one
 * percentile definition ({@link Percentiles}). A unit that passes the static limits but lies outside them is a
 * "DPAT outlier".
 *
 * <p>The population: the final coupling loss ({@link WhatIf#CAPABILITY_STEP}) of one channel over a lot's units that
 * passed ({@link Basis#LOT}), or over the last {@code window} passing runs of a station before the run
 * ({@link Basis#WINDOW}, while a lot is still open). Each product has its {@link Settings}.
 */
public final class Dpat {

    /** The step whose coupling loss is screened. */
    public static final String STEP = WhatIf.CAPABILITY_STEP;
    /** The IQR of a normal distribution in σ. */
    public static final double IQR_PER_SIGMA = 1.35;
    /** A product without its own settings: on, per lot, k = 6, at least 30 units. */
    public static final Settings DEFAULTS = new Settings(true, 6.0, 30, Basis.LOT, 200);

    private Dpat() {
    }

    /** Which population the limits come from. */
    public enum Basis {
        /** the lot's passing units */
        LOT,
        /** the station's last {@code window} passing runs before the run */
        WINDOW
    }

    /**
     * A product's DPAT settings.
     *
     * @param k robust σ either side of the median
     * @param minPopulation fewer values than this give no limits (no unit flagged)
     * @param window the rolling window's size in runs ({@link Basis#WINDOW})
     */
    public record Settings(boolean enabled, double k, int minPopulation, Basis basis, int window) {

        /** Why these settings cannot be used, or null when they can. */
        public static String problem(double k, int minPopulation, Basis basis, int window) {
            if (!(k > 0) || !Double.isFinite(k) || k > 50) {
                return "k must be a number above 0 and at most 50 (robust σ either side of the median), not " + k;
            }
            if (minPopulation < 5 || minPopulation > 100_000) {
                return "minimum population must be 5..100000 units (quartiles of fewer are noise), not " + minPopulation;
            }
            if (basis == null) {
                return "basis must be LOT or WINDOW";
            }
            if (basis == Basis.WINDOW && (window < minPopulation || window > 100_000)) {
                return "window must be at least the minimum population (" + minPopulation + ") and at most 100000 runs, not " + window;
            }
            return null;
        }

        public Settings {
            String problem = problem(k, minPopulation, basis, window);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /**
     * Robust limits of one population.
     *
     * @param population values they were computed from
     * @param robustSigma (Q3 − Q1) / 1.35
     * @param lower median − k × robust σ
     * @param upper median + k × robust σ
     */
    public record Limits(int population, double median, double robustSigma, double k, double lower, double upper) {

        /** Whether a value lies outside the limits (a value on a limit is inside). */
        public boolean outside(double value) {
            return value < lower || value > upper;
        }
    }

    /** The robust limits of these values (NaN left out), or empty with fewer than {@code minPopulation} of them. */
    public static Optional<Limits> limits(double[] values, double k, int minPopulation) {
        Percentiles p = Percentiles.of(values);
        if (p.count() < minPopulation || p.count() == 0) {
            return Optional.empty();
        }
        double median = p.at(0.5);
        double robustSigma = (p.at(0.75) - p.at(0.25)) / IQR_PER_SIGMA;
        return Optional.of(new Limits(p.count(), median, robustSigma, k, median - k * robustSigma, median + k * robustSigma));
    }
}
