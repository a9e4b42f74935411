package com.cpo.domain;

import java.time.Instant;

/**
 * One run of one operation on one unit, as yield counts it.
 *
 * @param unit the unit's identity (product and serial)
 * @param startTime when the run started at the tester; a unit's runs are ordered by it
 * @param outcome PASS, FAIL or INCOMPLETE
 */
public record UnitRun(String unit, Instant startTime, Outcome outcome) {
}
