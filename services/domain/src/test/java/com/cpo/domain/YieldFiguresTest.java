package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class YieldFiguresTest {

    private static UnitRun run(String unit, int minute, Outcome outcome) {
        return new UnitRun(unit, Instant.parse("2026-11-24T06:00:00Z").plusSeconds(60L * minute), outcome);
    }

    @Test
    void retestReplacesTheUnitsEarlierFailureInFinalYield() {
        // given four units; B fails then passes its retest, C fails twice, D is incomplete
        List<UnitRun> runs = List.of(run("A", 0, Outcome.PASS), run("B", 1, Outcome.FAIL), run("B", 30, Outcome.PASS),
                run("C", 2, Outcome.FAIL), run("C", 40, Outcome.FAIL), run("D", 3, Outcome.INCOMPLETE));

        // when
        YieldFigures figures = YieldFigures.of(runs);

        // then
        assertThat(figures.units()).isEqualTo(4);
        assertThat(figures.firstPassYield()).isEqualTo(0.25);
        assertThat(figures.finalYield()).isEqualTo(0.5);
        assertThat(figures.testYield()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(figures.retestRate()).isEqualTo(0.5);
    }

    @Test
    void runsAreOrderedByStartTimeNotByArrival() {
        YieldFigures figures = YieldFigures.of(List.of(run("B", 30, Outcome.PASS), run("B", 1, Outcome.FAIL)));
        assertThat(figures.firstPassUnits()).isZero();
        assertThat(figures.finalPassUnits()).isEqualTo(1);
    }

    @Test
    void noUnitsGiveNoYieldRatherThanZero() {
        assertThat(YieldFigures.of(List.of()).firstPassYield()).isNaN();
    }
}
