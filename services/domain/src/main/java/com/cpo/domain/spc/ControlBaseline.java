package com.cpo.domain.spc;

import java.util.List;

/**
 * The frozen baseline of an X̄ chart on hourly subgroups: the centre line and the within-subgroup standard deviation,
 * estimated from a period an engineer chose, never from the specification limits. A subgroup of n units is held to
 * centre ± 3σ/√n.
 * <p>
 * Why X̄ on hourly subgroups, not individuals: a station aligns tens of units an hour, and the hour is the plant's unit
 * of time for yield and statistics already; the mean of an hour is near-normal whatever the unit-to-unit distribution,
 * its limits narrow with √n so a shift of 0.2 dB shows within hours, and σ is the pooled within-hour deviation, so a
 * slow drift between hours does not inflate the limits that are meant to catch it (as a moving range would partly).
 *
 * @param centre grand mean of the baseline's units, dB
 * @param sigma pooled within-subgroup standard deviation, dB
 * @param subgroups subgroups in the baseline
 * @param units units in the baseline
 */
public record ControlBaseline(double centre, double sigma, int subgroups, long units) {

    /** At least this many subgroups make a baseline. */
    public static final int MIN_SUBGROUPS = 20;

    public ControlBaseline {
        if (!Double.isFinite(centre) || !(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("a control baseline needs a finite centre and a positive σ, not " + centre + " ± " + sigma);
        }
    }

    /**
     * The baseline of a period's subgroups: centre = mean of every unit, σ = pooled standard deviation
     * √(Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1)) of the subgroups with two units or more.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_SUBGROUPS} subgroups, or no within-subgroup spread
     */
    public static ControlBaseline of(List<Subgroup> period) {
        if (period.size() < MIN_SUBGROUPS) {
            throw new IllegalArgumentException("a baseline needs at least " + MIN_SUBGROUPS + " hourly subgroups; the period has " + period.size());
        }
        double sum = 0;
        long units = 0;
        double ss = 0;
        long dof = 0;
        for (Subgroup s : period) {
            sum += s.mean() * s.n();
            units += s.n();
            if (s.n() >= 2 && Double.isFinite(s.stdDev())) {
                ss += (s.n() - 1) * s.stdDev() * s.stdDev();
                dof += s.n() - 1;
            }
        }
        if (dof == 0 || ss == 0) {
            throw new IllegalArgumentException("a baseline needs subgroups of two units or more with some spread");
        }
        return new ControlBaseline(sum / units, Math.sqrt(ss / dof), period.size(), units);
    }

    /** Standard error of a subgroup mean of n units, dB. */
    public double sigmaOfMean(long n) {
        return sigma / Math.sqrt(n);
    }

    /** How many standard errors a subgroup's mean lies from the centre line. */
    public double z(Subgroup s) {
        return (s.mean() - centre) / sigmaOfMean(s.n());
    }
}
