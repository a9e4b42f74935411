package com.cpo.simulator;

import java.util.List;

/**
 * Shares of units per {@link BurnInProfile}; the rest is {@link BurnInProfile#STABLE}.
 */
public record BurnInMix(double powerDrift, double biasDrift, double suddenDrop, double settling, double outlier, double noisy,
        double marginalDrift) {

    public BurnInMix {
        double sum = powerDrift + biasDrift + suddenDrop + settling + outlier + noisy + marginalDrift;
        if (sum > 1 + 1e-9 || Math.min(Math.min(Math.min(powerDrift, biasDrift), Math.min(suddenDrop, settling)),
                Math.min(Math.min(outlier, noisy), marginalDrift)) < 0) {
            throw new IllegalArgumentException("the shares of a burn-in mix must be ≥ 0 and add up to at most 1, not " + sum);
        }
    }

    /** 3 % power drift, 2 % bias drift, 3 % sudden drop; 10 % settling, 5 % outliers, 5 % noisy, 5 % marginal drift. */
    public static BurnInMix defaults() {
        return new BurnInMix(0.03, 0.02, 0.03, 0.10, 0.05, 0.05, 0.05);
    }

    /**
     * Reads {@code power=0.03,bias=0.02,drop=0.03,settling=0.1,outlier=0.05,noisy=0.05,marginal=0.05}; shares not
     * named are 0.
     */
    public static BurnInMix parse(String text) {
        double[] v = new double[7];
        List<String> names = List.of("power", "bias", "drop", "settling", "outlier", "noisy", "marginal");
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            int i = names.indexOf(kv[0].trim());
            if (kv.length != 2 || i < 0) {
                throw new IllegalArgumentException("burn-in mix: '" + part + "' is not one of " + names + " = a share, e.g. power=0.05");
            }
            v[i] = Double.parseDouble(kv[1].trim());
        }
        return new BurnInMix(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** The profile of a uniform draw in [0, 1). */
    BurnInProfile draw(double u) {
        double[] shares = {powerDrift, biasDrift, suddenDrop, settling, outlier, noisy, marginalDrift};
        BurnInProfile[] profiles = {BurnInProfile.POWER_DRIFT, BurnInProfile.BIAS_DRIFT, BurnInProfile.SUDDEN_DROP, BurnInProfile.SETTLING, BurnInProfile.OUTLIER,
                BurnInProfile.NOISY, BurnInProfile.MARGINAL_DRIFT};
        double edge = 0;
        for (int i = 0; i < shares.length; i++) {
            edge += shares[i];
            if (u < edge) {
                return profiles[i];
            }
        }
        return BurnInProfile.STABLE;
    }

    /** Meant to fail: power drift, bias drift and sudden drop. */
    public double failing() {
        return powerDrift + biasDrift + suddenDrop;
    }
}
