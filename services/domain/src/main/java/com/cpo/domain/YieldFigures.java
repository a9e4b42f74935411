package com.cpo.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Yield of one operation over a set of units, after the common test-data-management definitions:
 * <ul>
 * <li>FPY (first-pass yield) = units whose first run passed / units;</li>
 * <li>final yield = units whose latest run passed / units;</li>
 * <li>test yield = passed runs / runs;</li>
 * <li>retest rate = (runs - units) / units.</li>
 * </ul>
 * A retest replaces the unit's earlier contribution to final yield; it never adds a unit. An INCOMPLETE
 * run counts as a run that did not pass.
 */
public record YieldFigures(int units, int firstPassUnits, int finalPassUnits, int runs, int passedRuns) {

    /** Computes the figures from all runs of the units (any order). */
    public static YieldFigures of(Collection<UnitRun> runs) {
        Map<String, List<UnitRun>> byUnit = runs.stream().collect(Collectors.groupingBy(UnitRun::unit));
        int firstPass = 0;
        int finalPass = 0;
        for (List<UnitRun> unitRuns : byUnit.values()) {
            List<UnitRun> ordered = unitRuns.stream().sorted(Comparator.comparing(UnitRun::startTime)).toList();
            if (ordered.get(0).outcome().passed()) {
                firstPass++;
            }
            if (ordered.get(ordered.size() - 1).outcome().passed()) {
                finalPass++;
            }
        }
        int passedRuns = (int) runs.stream().filter(r -> r.outcome().passed()).count();
        return new YieldFigures(byUnit.size(), firstPass, finalPass, runs.size(), passedRuns);
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
