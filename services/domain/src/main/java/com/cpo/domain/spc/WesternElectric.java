package com.cpo.domain.spc;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Western Electric rules on a chart's standardized points (z = (x̄ − centre) / (σ/√n)), evaluated for the newest point
 * as it arrives: the newest point is part of every pattern it reports, so a run of points is reported once, when it
 * completes, and again by each later point that extends it.
 */
public final class WesternElectric {

    /** The rules, with what each means. */
    public enum Rule {
        /** One point beyond 3σ. */
        BEYOND_3_SIGMA("1 point beyond 3σ"),
        /** Two of three consecutive points beyond 2σ on one side. */
        TWO_OF_THREE_BEYOND_2_SIGMA("2 of 3 consecutive points beyond 2σ on one side"),
        /** Four of five consecutive points beyond 1σ on one side. */
        FOUR_OF_FIVE_BEYOND_1_SIGMA("4 of 5 consecutive points beyond 1σ on one side"),
        /** Eight consecutive points on one side of the centre line. */
        EIGHT_ON_ONE_SIDE("8 consecutive points on one side of the centre line");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** Points a chart must remember to evaluate every rule. */
    public static final int MEMORY = 8;

    private WesternElectric() {
    }

    /**
     * The rules the newest point violates.
     *
     * @param z the chart's standardized points, oldest first, the newest last (only the last {@link #MEMORY} matter)
     */
    public static Set<Rule> violations(List<Double> z) {
        Set<Rule> rules = EnumSet.noneOf(Rule.class);
        if (z.isEmpty()) {
            return rules;
        }
        int last = z.size() - 1;
        double newest = z.get(last);
        if (Math.abs(newest) > 3) {
            rules.add(Rule.BEYOND_3_SIGMA);
        }
        double side = Math.signum(newest);
        if (side != 0) {
            if (Math.abs(newest) > 2 && countBeyond(z, 3, 2, side) >= 2) {
                rules.add(Rule.TWO_OF_THREE_BEYOND_2_SIGMA);
            }
            if (Math.abs(newest) > 1 && countBeyond(z, 5, 1, side) >= 4) {
                rules.add(Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA);
            }
            if (z.size() >= 8 && countBeyond(z, 8, 0, side) == 8) {
                rules.add(Rule.EIGHT_ON_ONE_SIDE);
            }
        }
        return rules;
    }

    /** Of the last {@code window} points, those beyond {@code limit} on the given side. */
    private static int countBeyond(List<Double> z, int window, double limit, double side) {
        int count = 0;
        for (int i = Math.max(0, z.size() - window); i < z.size(); i++) {
            if (z.get(i) * side > limit) {
                count++;
            }
        }
        return count;
    }

    /** Keeps a chart's latest points, as its state between subgroups. */
    public static List<Double> remember(List<Double> z, double newest) {
        List<Double> kept = new ArrayList<>(z.subList(Math.max(0, z.size() - (MEMORY - 1)), z.size()));
        kept.add(newest);
        return kept;
    }
}
