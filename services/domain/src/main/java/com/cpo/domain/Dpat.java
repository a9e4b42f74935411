package com.cpo.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A passing run as DPAT screens it.
     *
     * @param group its lot ({@link Basis#LOT}) or its station ({@link Basis#WINDOW})
     * @param finalLossDb coupling loss at {@link #STEP} by channel (index 0 = channel 1), NaN where not measured
     */
    public record Part(String id, String group, double[] finalLossDb) {
    }

    /**
     * A part's screen: the robust limits of each channel (null where the population was too small) and the channels outside.
     */
    public record Screened(Part part, Limits[] limitsByChannel, List<Integer> outlierChannels) {

        public boolean outlier() {
            return !outlierChannels.isEmpty();
        }
    }

    /**
     * Screens passing runs. {@link Basis#LOT}: each lot's limits from all its parts (the lot as a whole, after AEC-Q001);
     * {@link Basis#WINDOW}: each part against the {@code window} parts of its station before it, in the order given (by start).
     * Nothing is screened when the settings are off.
     */
    public static List<Screened> screen(List<Part> ordered, Settings settings) {
        List<Screened> out = new ArrayList<>(ordered.size());
        if (!settings.enabled()) {
            return out;
        }
        int channels = ordered.stream().mapToInt(p -> p.finalLossDb().length).max().orElse(0);
        if (settings.basis() == Basis.LOT) {
            Map<String, List<Part>> byLot = new HashMap<>();
            ordered.forEach(p -> byLot.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p));
            Map<String, Limits[]> limits = new HashMap<>();
            byLot.forEach((lot, parts) -> limits.put(lot, limits(parts, channels, settings)));
            ordered.forEach(p -> out.add(screened(p, limits.get(p.group()))));
        } else {
            Map<String, Deque<Part>> windows = new HashMap<>();
            for (Part p : ordered) {
                Deque<Part> window = windows.computeIfAbsent(p.group(), g -> new ArrayDeque<>());
                out.add(screened(p, limits(window, channels, settings)));
                window.addLast(p);
                if (window.size() > settings.window()) {
                    window.removeFirst();
                }
            }
        }
        return out;
    }

    private static Limits[] limits(java.util.Collection<Part> population, int channels, Settings settings) {
        Limits[] out = new Limits[channels];
        double[] values = new double[population.size()];
        for (int c = 0; c < channels; c++) {
            int i = 0;
            for (Part p : population) {
                values[i++] = c < p.finalLossDb().length ? p.finalLossDb()[c] : Double.NaN;
            }
            out[c] = limits(values, settings.k(), settings.minPopulation()).orElse(null);
        }
        return out;
    }

    private static Screened screened(Part p, Limits[] limits) {
        List<Integer> outside = new ArrayList<>(0);
        for (int c = 0; c < p.finalLossDb().length && c < limits.length; c++) {
            double v = p.finalLossDb()[c];
            if (limits[c] != null && !Double.isNaN(v) && limits[c].outside(v)) {
                outside.add(c + 1);
            }
        }
        return new Screened(p, limits, List.copyOf(outside));
    }
}
