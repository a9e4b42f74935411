package com.cpo.analytics;

import static com.cpo.analytics.StreamFixture.T0;
import static com.cpo.analytics.StreamFixture.alignmentRun;
import static com.cpo.analytics.StreamFixture.channels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.analytics.state.Names;
import com.cpo.analytics.yield.RtyAggregate;
import com.cpo.analytics.yield.YieldAggregate;
import com.cpo.events.Operation;
import com.cpo.events.YieldDimension;
import com.cpo.events.YieldFigures;
import com.cpo.schemas.Topics;

class YieldTopologyTest {

    private StreamFixture f;
    private TestOutputTopic<String, byte[]> yield;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.releaseLimits("CPO-OE16/ALIGN", Operation.ALIGN, List.of(StreamFixture.limit("coupling_loss", null, 2.0, "dB")));
        yield = f.output(Topics.YIELD.name());
    }

    private Map<String, YieldFigures> flushed(TestOutputTopic<String, byte[]> topic) {
        f.flushStatistics();
        return f.latest(topic, YieldFigures.class);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static double[] bad() {
        double[] db = channels(16, 1.2);
        db[3] = 3.0;
        return db;
    }

    @Test
    void retestReplacesTheUnitsEarlierFailureInFinalYield() {
        // given A passes, B fails then passes its retest, C fails
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, channels(16, 1.2)));
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0.plusSeconds(60), bad()));
        f.send("C", alignmentRun("C", "L1", "AA-01", 1, T0.plusSeconds(120), bad()));
        f.send("B", alignmentRun("B", "L1", "AA-02", 2, T0.plusSeconds(900), channels(16, 1.3)));

        // when
        YieldFigures lot = flushed(yield).get("LOT|CPO-OE16|ALIGN|L1");

        // then three units, not four
        assertThat(lot.getUnits()).isEqualTo(3);
        assertThat(lot.getFirstPassUnits()).isEqualTo(1);
        assertThat(lot.getFinalPassUnits()).isEqualTo(2);
        assertThat(lot.getRuns()).isEqualTo(4);
        assertThat(lot.getFirstPassYield()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(lot.getFinalYield()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(lot.getTestYield()).isCloseTo(0.5, within(1e-12));
        assertThat(lot.getRetestRate()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void aUnitCountsAtTheStationOfItsFirstRunAndEachStationCountsItsOwnRuns() {
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0, bad()));
        f.send("B", alignmentRun("B", "L1", "AA-02", 2, T0.plusSeconds(900), channels(16, 1.3)));

        Map<String, YieldFigures> latest = flushed(yield);
        // by the station of its first run: one unit at AA-01, finally passing; the rework station has none
        assertThat(latest.get("FIRST_STATION|CPO-OE16|ALIGN|AA-01").getUnits()).isEqualTo(1);
        assertThat(latest.get("FIRST_STATION|CPO-OE16|ALIGN|AA-01").getFinalPassUnits()).isEqualTo(1);
        assertThat(latest).doesNotContainKey("FIRST_STATION|CPO-OE16|ALIGN|AA-02");
        // each station's own runs: AA-01 failed its run, the rework station AA-02 passed its retest
        assertThat(latest.get("STATION|CPO-OE16|ALIGN|AA-01").getRuns()).isEqualTo(1);
        assertThat(latest.get("STATION|CPO-OE16|ALIGN|AA-01").getTestYield()).isEqualTo(0.0);
        assertThat(latest.get("STATION|CPO-OE16|ALIGN|AA-02").getRuns()).isEqualTo(1);
        assertThat(latest.get("STATION|CPO-OE16|ALIGN|AA-02").getTestYield()).isEqualTo(1.0);
    }

    @Test
    void aLateRetestUpdatesTheHourOfTheUnitsFirstRun() {
        // given a unit failing at 06:10 and its retest at 09:30
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0.plusSeconds(600), bad()));
        f.send("B", alignmentRun("B", "L1", "AA-01", 2, T0.plusSeconds(3 * 3600 + 1800), channels(16, 1.3)));

        Map<String, YieldFigures> latest = flushed(yield);
        YieldFigures hour = latest.get("HOUR|CPO-OE16|ALIGN|2026-11-24T06:00:00Z");
        assertThat(hour.getDimension()).isEqualTo(YieldDimension.HOUR);
        assertThat(hour.getFinalPassUnits()).isEqualTo(1);
        assertThat(hour.getWindowEnd()).isEqualTo(T0.plusSeconds(3600));
        assertThat(latest).doesNotContainKey("HOUR|CPO-OE16|ALIGN|2026-11-24T09:00:00Z");
        assertThat(latest.get("SHIFT|CPO-OE16|ALIGN|A").getUnits()).isEqualTo(1);
    }

    @Test
    void aRetestArrivingBeforeTheFirstRunStillCountsInOrderOfStartTime() {
        // given out of order: the retest's events arrive first
        f.send("B", alignmentRun("B", "L1", "AA-01", 2, T0.plusSeconds(900), channels(16, 1.3)));
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0, bad()));

        YieldFigures lot = flushed(yield).get("LOT|CPO-OE16|ALIGN|L1");
        assertThat(lot.getUnits()).isEqualTo(1);
        assertThat(lot.getFirstPassUnits()).isZero();
        assertThat(lot.getFinalPassUnits()).isEqualTo(1);
    }

    @Test
    void aRedeliveredRunChangesNoFigure() {
        List<org.apache.avro.specific.SpecificRecord> run = alignmentRun("A", "L1", "AA-01", 1, T0, channels(16, 1.2));
        f.send("A", run);
        f.send("A", run);

        YieldFigures lot = flushed(yield).get("LOT|CPO-OE16|ALIGN|L1");
        assertThat(lot.getUnits()).isEqualTo(1);
        assertThat(lot.getRuns()).isEqualTo(1);
    }

    @Test
    void currentFiguresCanBeQueriedFromTheStore() {
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, channels(16, 1.2)));
        f.flushStatistics();
        KeyValueStore<String, YieldAggregate> store = f.driver.getKeyValueStore(Names.YIELD_STORE);
        assertThat(store.get("LOT|CPO-OE16|ALIGN|L1").sum().units()).isEqualTo(1);
    }

    @Test
    void rtyIsTheProductOfTheFirstPassYieldsOfTheOperations() {
        // given ALIGN FPY 1/2 in lot L1, and BURNIN FPY 1/1 for one of its units
        f.releaseLimits("CPO-OE16/BURNIN", Operation.BURNIN, List.of(StreamFixture.limit("power_drift", -0.5, 0.5, "dB")));
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, channels(16, 1.2)));
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0.plusSeconds(60), bad()));
        String run = "BI-01/A/BURNIN/1";
        f.send("A", StreamFixture.burnInStart("A", run, T0.plusSeconds(3600), 1));
        for (int m = 0; m <= 90; m++) {
            f.send("A", StreamFixture.reading("A", run, T0.plusSeconds(3600 + 60L * m), 1, 3.0, 40));
        }
        f.send("A", StreamFixture.burnInEnd("A", run, T0.plusSeconds(3600 + 5400), 91));

        // when
        TestOutputTopic<String, byte[]> rtyTopic = f.output(Topics.RTY.name());
        f.send("C", alignmentRun("C", "L2", "AA-01", 1, T0.plusSeconds(9000), channels(16, 1.2)));
        f.flushStatistics();
        var rty = f.latest(rtyTopic, com.cpo.events.RolledThroughputYield.class);

        // then
        assertThat(f.driver.<String, RtyAggregate>getKeyValueStore(Names.RTY_STORE).get("CPO-OE16|L1").toEvent("CPO-OE16|L1").getRty())
                .isCloseTo(0.5 * 1.0, within(1e-12));
        assertThat(rty.get("CPO-OE16|L2").getRty()).isEqualTo(1.0);
    }
}
