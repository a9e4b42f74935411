package com.cpo.domain.stats;

/**
 * Process capability against specification limits: Cpu = (USL − μ)/3σ, Cpl = (μ − LSL)/3σ, Cpk = min of the
 * sides that exist, Cp = (USL − LSL)/6σ only with both limits. With one limit (coupling loss has only an
 * upper one), Cpk is that side alone and Cp is undefined (NaN).
 *
 * <p>Which σ: the platform shows capability from the overall sample standard deviation of all values,
 * which is strictly Ppk (no rational subgroups exist in a stream of units); reports label it so.
 */
public record Capability(double cp, double cpu, double cpl, double cpk) {

    /** Cpk values below this are flagged. */
    public static final double FLAG_BELOW = 1.33;

    public static Capability of(double mean, double sigma, Double lowerLimit, Double upperLimit) {
        if (!(sigma > 0) || Double.isNaN(mean)) {
            return new Capability(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double cpu = upperLimit == null ? Double.NaN : (upperLimit - mean) / (3 * sigma);
        double cpl = lowerLimit == null ? Double.NaN : (mean - lowerLimit) / (3 * sigma);
        double cp = lowerLimit != null && upperLimit != null ? (upperLimit - lowerLimit) / (6 * sigma) : Double.NaN;
        double cpk;
        if (upperLimit != null && lowerLimit != null) {
            cpk = Math.min(cpu, cpl);
        } else if (upperLimit != null) {
            cpk = cpu;
        } else if (lowerLimit != null) {
            cpk = cpl;
        } else {
            cpk = Double.NaN;
        }
        return new Capability(cp, cpu, cpl, cpk);
    }

    /** Whether Cpk is known and below {@link #FLAG_BELOW}. */
    public boolean flagged() {
        return !Double.isNaN(cpk) && cpk < FLAG_BELOW;
    }
}
