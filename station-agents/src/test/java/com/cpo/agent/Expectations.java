package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInReading;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;

/** What the simulator wrote, checked against what reached Kafka, value by value. */
final class Expectations {

    private Expectations() {
    }

    /** Events the agent makes of alignment runs (RunStarted, three steps, RunCompleted) and burn-in runs (START, readings, END). */
    static int expectedEvents(List<SimulatedRun> alignmentRuns, List<BurnInSimulator.UnitRun> burnInRuns) {
        return alignmentRuns.size() * 5 + burnInRuns.stream().mapToInt(r -> r.readings().size() + 2).sum();
    }

    static void assertEveryMeasurementArrivedAsWritten(TopicContent content, String station, List<SimulatedRun> alignmentRuns,
            String rack, List<BurnInSimulator.UnitRun> burnInRuns) {
        assertThat(content.duplicatesAreIdentical()).as("every duplicate carries the same event id and content").isTrue();
        Map<String, AlignmentResult> results = new HashMap<>();
        for (AlignmentResult r : content.alignmentResults()) {
            results.put(r.getRunId() + "|" + r.getStep(), r);
        }
        for (SimulatedRun run : alignmentRuns) {
            for (com.cpo.events.AlignmentStep step : com.cpo.events.AlignmentStep.values()) {
                AlignmentResult result = results.get(station + "/" + run.serial() + "/ALIGN/" + run.attempt() + "|" + step);
                assertThat(result).as("%s attempt %d %s", run.serial(), run.attempt(), step).isNotNull();
                result.getChannels().forEach(ch -> assertThat(ch.getCouplingLossDb()).isEqualTo(run.valueAt(step, ch.getChannel())));
            }
        }
        Map<String, BurnInReading> readings = new HashMap<>();
        for (BurnInReading r : content.burnInReadings()) {
            readings.put(r.getRunId() + "|" + r.getChannel() + "|" + r.getEventTime(), r);
        }
        long expectedReadings = 0;
        for (BurnInSimulator.UnitRun run : burnInRuns) {
            for (BurnInSimulator.Reading w : run.readings()) {
                expectedReadings++;
                BurnInReading r = readings.get(rack + "/" + w.serial() + "/BURNIN/" + w.attempt() + "|" + w.channel() + "|" + w.time());
                assertThat(r).as("reading %s", w).isNotNull();
                assertThat(r.getPowerDbm()).isEqualTo(w.powerDbm());
                assertThat(r.getBiasCurrentMa()).isEqualTo(w.biasCurrentMa());
                assertThat(r.getCaseTemperatureC()).isEqualTo(w.caseTemperatureC());
                assertThat(r.getSlot()).isEqualTo(w.slot());
            }
        }
        assertThat(content.burnInReadings()).hasSize((int) expectedReadings);
    }
}
