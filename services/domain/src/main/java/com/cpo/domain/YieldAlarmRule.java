package com.cpo.domain;

import java.util.Locale;

/**
 * When the first-pass yield of a lot, or of the units first tested at a station, is too low: FPY below the product's
 * target once at least the minimum number of units is in the group (fewer say too little). An alarm raised stays open
 * until the FPY is back at or above the target.
 */
public final class YieldAlarmRule {

    /**
     * A product's target for one operation.
     *
     * @param fpyTarget the lowest acceptable FPY, 0..1
     * @param minUnits units a group needs before its FPY is held to the target
     */
    public record Target(String product, String operation, double fpyTarget, int minUnits) {

        public Target {
            if (!(fpyTarget > 0 && fpyTarget <= 1)) {
                throw new IllegalArgumentException("an FPY target is a fraction in (0, 1], not " + fpyTarget);
            }
            if (minUnits < 1) {
                throw new IllegalArgumentException("the minimum sample is at least 1 unit, not " + minUnits);
            }
        }
    }

    private YieldAlarmRule() {
    }

    /** Whether a group with these figures is in alarm now; an open alarm holds until FPY is back at the target. */
    public static boolean alarmed(YieldFigures figures, Target target, boolean open) {
        if (figures.units() == 0) {
            return false;
        }
        if (open) {
            return figures.firstPassYield() < target.fpyTarget();
        }
        return figures.units() >= target.minUnits() && figures.firstPassYield() < target.fpyTarget();
    }

    /** What an alarm says, in an engineer's words. */
    public static String message(String groupKind, String group, YieldFigures figures, Target target) {
        return String.format(Locale.ROOT, "%s %s of %s (%s): FPY %.1f %% of %d units, %s the target of %.1f %%", groupKind, group,
                target.product(), target.operation(), 100 * figures.firstPassYield(), figures.units(),
                figures.firstPassYield() < target.fpyTarget() ? "below" : "at or above", 100 * target.fpyTarget());
    }
}
