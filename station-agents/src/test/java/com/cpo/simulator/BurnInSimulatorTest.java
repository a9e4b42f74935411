package com.cpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class BurnInSimulatorTest {

    private static BurnInSimulator simulator(long seed) {
        return new BurnInSimulator(BurnInSimulator.Config.defaults(seed).withRack(8, 8).withTiming(Duration.ofMinutes(5), Duration.ofHours(24)));
    }

    @Test
    void theSameSeedWritesTheSameLog() {
        assertThat(simulator(7).runUnits(20)).isEqualTo(simulator(7).runUnits(20));
    }

    @Test
    void everyRunEndsWithTheNumberOfReadingsItWrote() {
        // given
        BurnInSimulator sim = simulator(2);

        // when
        List<BurnInSimulator.LogLine> lines = sim.runUnits(40);

        // then
        for (BurnInSimulator.UnitRun run : sim.made()) {
            String end = lines.stream().map(BurnInSimulator.LogLine::text)
                    .filter(l -> l.startsWith("END,") && l.contains("," + run.serial() + "," + run.attempt() + ",")).findFirst().orElseThrow();
            assertThat(end).contains("," + run.readings().size() + "," + (run.aborted() ? "ABORTED" : "COMPLETE"));
        }
        assertThat(lines).extracting(BurnInSimulator.LogLine::time).isSorted();
    }

    @Test
    void stableChannelsStayWithinATenthOfADbWhileDriftingAndDroppingOnesFallFurther() {
        // given
        BurnInSimulator sim = new BurnInSimulator(BurnInSimulator.Config.defaults(3).withRack(16, 8)
                .withTiming(Duration.ofMinutes(10), Duration.ofHours(24)).withMix(new BurnInMix(0.2, 0, 0.2, 0, 0, 0, 0), 0, 0.6));

        // when
        sim.runUnits(160);

        // then
        for (BurnInSimulator.UnitRun run : sim.made()) {
            for (int ch = 1; ch <= 8; ch++) {
                int channel = ch;
                List<Double> power = run.readings().stream().filter(r -> r.channel() == channel).map(BurnInSimulator.Reading::powerDbm).toList();
                double baseline = power.subList(6, 12).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double last = power.subList(power.size() - 6, power.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                if (run.badChannels().contains(ch)) {
                    double highest = power.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                    assertThat(highest - last).as("%s ch %d %s", run.serial(), ch, run.profile()).isGreaterThan(0.5);
                } else {
                    assertThat(Math.abs(baseline - last)).as("%s ch %d", run.serial(), ch).isLessThan(0.25);
                }
            }
        }
        assertThat(sim.made()).anyMatch(r -> r.profile() == BurnInProfile.POWER_DRIFT)
                .anyMatch(r -> r.profile() == BurnInProfile.SUDDEN_DROP).anyMatch(r -> r.attempt() == 2);
    }
}
