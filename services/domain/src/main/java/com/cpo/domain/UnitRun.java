package com.cpo.domain;

import java.time.Instant;
import java.util.Comparator;

/**
 * One run of one operation on one unit, as yield counts it.
 *
 * @param unit the unit's identity (product and serial)
 * @param startTime when the run started at the tester; a unit's runs are ordered by it, then by attempt ({@link #ORDER})
 * @param attempt the run's attempt number (1 = first), which breaks a tie of start times
 * @param station the station the run was at; null where a figure does not need it
 * @param outcome PASS, FAIL or INCOMPLETE
 */
public record UnitRun(String unit, Instant startTime, int attempt, String station, Outcome outcome) {

    /** The order of a unit's runs: by start time, then attempt. Its first run decides FPY, its last final yield. */
    public static final Comparator<UnitRun> ORDER = Comparator.comparing(UnitRun::startTime).thenComparingInt(UnitRun::attempt);

    /** A run whose attempt and station do not matter to the figure at hand. */
    public UnitRun(String unit, Instant startTime, Outcome outcome) {
        this(unit, startTime, 1, null, outcome);
    }
}
