package com.cpo.domain;

import java.util.Collection;

/**
 * Yield of one operation over a set of units, after the common test-data-management definitions:
 * <ul>
 * <li>FPY (first-pass yield) = units whose first run passed / units;</li>
 * <li>final yield = units whose latest run passed / units;</li>
 * <li>test yield = passed runs / runs;</li>
 * <li>retest rate = (runs - units) / units.</li>
 * </ul>
 * A retest replaces the unit's earlier contribution to final yield; it never adds a unit. An INCOMPLETE
 * run counts as a run that did not pass. A unit's runs are in {@link UnitRun#ORDER}: start time, then attempt.
 */
public record YieldFigures(int units, int firstPassUnits, int finalPassUnits, int runs, int passedRuns) {

    /** No units, no runs: the start of a sum. */
    public static final YieldFigures NONE = new YieldFigures(0, 0, 0, 0, 0);

    /** Computes the figures from all runs of the units (any order): the sum of each unit's {@link UnitYield}. */
    public static YieldFigures of(Collection<UnitRun> runs) {
        YieldFigures sum = NONE;
        for (UnitYield unit : UnitYield.byUnit(runs).values()) {
            sum = sum.plus(unit.figures());
        }
        return sum;
    }

    /** The figures of two disjoint sets of units together. */
    public YieldFigures plus(YieldFigures o) {
        return new YieldFigures(units + o.units, firstPassUnits + o.firstPassUnits, finalPassUnits + o.finalPassUnits,
                runs + o.runs, passedRuns + o.passedRuns);
    }

    /** First-pass yield as a fraction 0..1; NaN when there are no units. */
    public double firstPassYield() {
        return units == 0 ? Double.NaN : (double) firstPassUnits / units;
    }

    /** Final yield as a fraction 0..1; NaN when there are no units. */
    public double finalYield() {
        return units == 0 ? Double.NaN : (double) finalPassUnits / units;
    }

    /** Test yield (passed runs / runs) as a fraction 0..1; NaN when there are no runs. */
    public double testYield() {
        return runs == 0 ? Double.NaN : (double) passedRuns / runs;
    }

    /** Retests per unit, (runs - units) / units; NaN when there are no units. */
    public double retestRate() {
        return units == 0 ? Double.NaN : (double) (runs - units) / units;
    }
}
