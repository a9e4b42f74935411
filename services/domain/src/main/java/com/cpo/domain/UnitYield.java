package com.cpo.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one unit adds to the yield of a set of units of one operation: its first and last run ({@link UnitRun#ORDER})
 * and its run counts. Yield over many units is the sum of theirs ({@link YieldFigures#of}); the service keeps one per
 * unit and operation in its database so that a year of yield is a sum, not a replay of every run.
 *
 * @param first the run that decides first-pass yield
 * @param last the run that decides final yield
 * @param runs every run of the unit
 * @param passedRuns runs that passed
 * @param incompleteRuns runs that ended INCOMPLETE (counted as not passed)
 */
public record UnitYield(UnitRun first, UnitRun last, int runs, int passedRuns, int incompleteRuns) {

    /**
     * Of one unit's runs (any order, at least one).
     *
     * @throws IllegalArgumentException without runs, or with runs of more than one unit
     */
    public static UnitYield of(Collection<UnitRun> runsOfOneUnit) {
        if (runsOfOneUnit.isEmpty()) {
            throw new IllegalArgumentException("a unit's yield needs at least one run");
        }
        UnitRun first = null;
        UnitRun last = null;
        int passed = 0;
        int incomplete = 0;
        for (UnitRun r : runsOfOneUnit) {
            if (first != null && !first.unit().equals(r.unit())) {
                throw new IllegalArgumentException("runs of two units: " + first.unit() + " and " + r.unit());
            }
            first = first == null || UnitRun.ORDER.compare(r, first) < 0 ? r : first;
            last = last == null || UnitRun.ORDER.compare(r, last) >= 0 ? r : last;
            passed += r.outcome().passed() ? 1 : 0;
            incomplete += r.outcome() == Outcome.INCOMPLETE ? 1 : 0;
        }
        return new UnitYield(first, last, runsOfOneUnit.size(), passed, incomplete);
    }

    /** One per unit, in the order units first appear. */
    public static Map<String, UnitYield> byUnit(Collection<UnitRun> runs) {
        Map<String, List<UnitRun>> byUnit = new LinkedHashMap<>();
        runs.forEach(r -> byUnit.computeIfAbsent(r.unit(), k -> new ArrayList<>()).add(r));
        Map<String, UnitYield> out = new LinkedHashMap<>();
        byUnit.forEach((unit, unitRuns) -> out.put(unit, of(unitRuns)));
        return out;
    }

    /**
     * One unit's yield at each station it was tested at, from that station's runs alone: a station's own yield (a rework
     * station sees retests only).
     */
    public static Map<String, UnitYield> byStation(Collection<UnitRun> runsOfOneUnit) {
        Map<String, List<UnitRun>> byStation = new TreeMap<>();
        runsOfOneUnit.forEach(r -> byStation.computeIfAbsent(r.station(), k -> new ArrayList<>()).add(r));
        Map<String, UnitYield> out = new TreeMap<>();
        byStation.forEach((station, stationRuns) -> out.put(station, of(stationRuns)));
        return out;
    }

    public boolean firstPassed() {
        return first.outcome().passed();
    }

    public boolean finalPassed() {
        return last.outcome().passed();
    }

    /** This unit alone as yield figures. */
    public YieldFigures figures() {
        return new YieldFigures(1, firstPassed() ? 1 : 0, finalPassed() ? 1 : 0, runs, passedRuns);
    }
}
