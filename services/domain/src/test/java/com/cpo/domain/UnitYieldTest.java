package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class UnitYieldTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private static UnitRun run(String unit, int minute, int attempt, String station, Outcome outcome) {
        return new UnitRun(unit, T0.plusSeconds(60L * minute), attempt, station, outcome);
    }

    @Test
    void runsStartingTogetherAreOrderedByAttempt() {
        // given a retest recorded with the same start time as the first attempt (a station clock with minute resolution)
        UnitYield unit = UnitYield.of(List.of(run("A", 5, 2, "AA-01", Outcome.PASS), run("A", 5, 1, "AA-01", Outcome.FAIL)));

        // then the first attempt is first, whatever the order they came in
        assertThat(unit.firstPassed()).isFalse();
        assertThat(unit.finalPassed()).isTrue();
        assertThat(unit.figures()).isEqualTo(new YieldFigures(1, 0, 1, 2, 1));
    }

    @Test
    void aStationsOwnYieldCountsOnlyItsRuns() {
        // given a unit failing at AA-01 and passing at the rework station, then retested at AA-01 and passing
        List<UnitRun> runs = List.of(run("A", 0, 1, "AA-01", Outcome.FAIL), run("A", 10, 2, "RW-01", Outcome.PASS),
                run("A", 20, 3, "AA-01", Outcome.INCOMPLETE));

        // when
        Map<String, UnitYield> byStation = UnitYield.byStation(runs);

        // then the rework station's first run of this unit passed; AA-01 never passed it
        assertThat(byStation.get("RW-01").figures()).isEqualTo(new YieldFigures(1, 1, 1, 1, 1));
        assertThat(byStation.get("AA-01").figures()).isEqualTo(new YieldFigures(1, 0, 0, 2, 0));
        assertThat(byStation.get("AA-01").incompleteRuns()).isEqualTo(1);
        assertThat(UnitYield.of(runs).first().station()).isEqualTo("AA-01");
    }

    @Test
    void theSumOfUnitsIsTheYieldOfAllTheirRuns() {
        // given random runs of 200 units in random order
        Random random = new Random(17);
        List<UnitRun> runs = new java.util.ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int n = 1 + random.nextInt(3);
            for (int a = 1; a <= n; a++) {
                runs.add(run("U" + u, random.nextInt(1000), a, "S" + random.nextInt(3), Outcome.values()[random.nextInt(3)]));
            }
        }
        java.util.Collections.shuffle(runs, random);

        // when summed unit by unit
        YieldFigures sum = YieldFigures.NONE;
        for (UnitYield unit : UnitYield.byUnit(runs).values()) {
            sum = sum.plus(unit.figures());
        }

        // then it is the figures of all runs, counted directly
        assertThat(sum).isEqualTo(YieldFigures.of(runs));
        assertThat(sum.units()).isEqualTo(200);
        assertThat(sum.runs()).isEqualTo(runs.size());
        assertThat(sum.passedRuns()).isEqualTo((int) runs.stream().filter(r -> r.outcome() == Outcome.PASS).count());
    }

    @Test
    void aUnitsYieldNeedsRunsOfThatUnitAlone() {
        assertThatThrownBy(() -> UnitYield.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnitYield.of(List.of(run("A", 0, 1, "S", Outcome.PASS), run("B", 1, 1, "S", Outcome.PASS))))
                .hasMessageContaining("two units");
    }
}
