package com.cpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

class AlignmentSimulatorTest {

    private static AlignmentSimulator simulator(long seed) {
        return new AlignmentSimulator(AlignmentSimulator.Config.defaults(seed).withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z"))
                .withLotPrefix("L261124"));
    }

    @Test
    void theSameSeedMakesTheSameLine() {
        List<SimulatedRun> a = simulator(42).runUnits(30);
        List<SimulatedRun> b = simulator(42).runUnits(30);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(simulator(42).format(a.get(i))).isEqualTo(simulator(42).format(b.get(i)));
        }
    }

    @Test
    void couplingLossFollowsTheConfiguredDistribution() {
        DescriptiveStatistics preCure = new DescriptiveStatistics();
        for (SimulatedRun run : simulator(1).runUnits(400)) {
            if (run.defectChannel() == 0) {
                for (double v : run.couplingLossDb()[0]) {
                    preCure.addValue(v);
                }
            }
        }
        assertThat(preCure.getMean()).isBetween(1.18, 1.22);
        assertThat(preCure.getStandardDeviation()).isBetween(0.23, 0.27);
    }

    @Test
    void defectiveUnitsFailAndSomeAreRetestedInTheirLot() {
        List<SimulatedRun> runs = simulator(3).runUnits(200);
        long defects = runs.stream().filter(r -> r.defectChannel() > 0).count();
        assertThat(defects).isBetween(8L, 30L);
        assertThat(runs.stream().filter(r -> r.defectChannel() > 0)).allSatisfy(r -> assertThat(r.channelsAbove(2.0)).contains(r.defectChannel()));
        List<SimulatedRun> retests = runs.stream().filter(r -> r.attempt() > 1).toList();
        assertThat(retests).isNotEmpty();
        assertThat(retests).allSatisfy(r -> assertThat(runs.stream().filter(f -> f.serial().equals(r.serial()) && f.attempt() == 1)
                .findFirst().orElseThrow().lot()).isEqualTo(r.lot()));
        assertThat(runs.stream().filter(r -> r.attempt() == 1).count()).isEqualTo(200);
    }
}
