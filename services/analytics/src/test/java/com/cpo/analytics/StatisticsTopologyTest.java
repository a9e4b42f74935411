package com.cpo.analytics;

import static com.cpo.analytics.StreamFixture.T0;
import static com.cpo.analytics.StreamFixture.alignmentRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.Operation;
import com.cpo.events.StatisticsScope;
import com.cpo.schemas.Topics;

class StatisticsTopologyTest {

    private StreamFixture f;
    private TestOutputTopic<String, byte[]> stats;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.releaseLimits("CPO-OE16/ALIGN", Operation.ALIGN, List.of(StreamFixture.limit("coupling_loss", null, 2.0, "dB")));
        stats = f.output(Topics.COUPLING_LOSS_STATS.name());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void statisticsPerStationAndChannelMatchAnIndependentComputation() {
        // given 60 units on two stations with known channel-3 values
        SplittableRandom random = new SplittableRandom(5);
        DescriptiveStatistics channel3AtAa01 = new DescriptiveStatistics();
        for (int u = 0; u < 60; u++) {
            double[] db = new double[8];
            for (int ch = 0; ch < 8; ch++) {
                db[ch] = 1.0 + random.nextDouble() * 0.8;
            }
            String station = u % 2 == 0 ? "AA-01" : "AA-02";
            if (station.equals("AA-01")) {
                channel3AtAa01.addValue(db[2]);
            }
            f.send("S" + u, alignmentRun("S" + u, "L" + (u / 30), station, 1, T0.plusSeconds(60L * u), db));
        }

        // when
        f.flushStatistics();
        CouplingLossStatistics s = f.latest(stats, CouplingLossStatistics.class).get("PRODUCT_STATION|CPO-OE16|AA-01|3");

        // then
        assertThat(s.getScope()).isEqualTo(StatisticsScope.PRODUCT_STATION);
        assertThat(s.getN()).isEqualTo(30);
        assertThat(s.getMeanDb()).isCloseTo(channel3AtAa01.getMean(), within(channel3AtAa01.getMean() * 1e-9));
        assertThat(s.getStdDevDb()).isCloseTo(channel3AtAa01.getStandardDeviation(), within(channel3AtAa01.getStandardDeviation() * 1e-9));
        assertThat(s.getMinDb()).isEqualTo(channel3AtAa01.getMin());
        assertThat(s.getMaxDb()).isEqualTo(channel3AtAa01.getMax());
        assertThat(s.getP50Db()).isBetween(channel3AtAa01.getPercentile(40), channel3AtAa01.getPercentile(60));
        assertThat(s.getHistogramCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
        assertThat(s.getUpperLimitDb()).isEqualTo(2.0);
        assertThat(s.getCpk()).isCloseTo((2.0 - channel3AtAa01.getMean()) / (3 * channel3AtAa01.getStandardDeviation()), within(1e-9));
        assertThat(s.getCp()).isNull();
    }

    @Test
    void eachChannelsCapabilityIsAgainstTheLimitThatBindsIt() {
        // given version 2: channel 3 has its own limit of 2.5 dB beside the all-channel 2.0 dB
        com.cpo.events.LimitSet v2 = com.cpo.events.LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(2).setProduct("CPO-OE16")
                .setOperation(Operation.ALIGN).setEffectiveFrom(T0.minusSeconds(60)).setReleasedBy("test")
                .setLimits(List.of(StreamFixture.limit("coupling_loss", null, 2.0, "dB"),
                        com.cpo.events.Limit.newBuilder(StreamFixture.limit("coupling_loss", null, 2.5, "dB")).setChannel(3).build()))
                .build();
        f.limits.pipeInput("CPO-OE16/ALIGN@2", f.codec.encode(v2));

        // when
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, StreamFixture.channels(4, 1.1)));
        f.flushStatistics();

        // then
        var latest = f.latest(stats, CouplingLossStatistics.class);
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|3").getUpperLimitDb()).isEqualTo(2.5);
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|2").getUpperLimitDb()).isEqualTo(2.0);
    }

    @Test
    void lotAndHourScopesAreKeptApart() {
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, StreamFixture.channels(4, 1.1)));
        f.send("B", alignmentRun("B", "L2", "AA-01", 1, T0.plusSeconds(4000), StreamFixture.channels(4, 1.5)));

        f.flushStatistics();
        var latest = f.latest(stats, CouplingLossStatistics.class);
        assertThat(latest.get("PRODUCT_LOT|CPO-OE16|L1|1").getMeanDb()).isEqualTo(1.1);
        assertThat(latest.get("PRODUCT_LOT|CPO-OE16|L2|1").getMeanDb()).isEqualTo(1.5);
        assertThat(latest.get("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T06:00:00Z|1").getN()).isEqualTo(1);
        assertThat(latest.get("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T07:00:00Z|1").getWindowEnd()).isEqualTo(T0.plusSeconds(7200));
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getN()).isEqualTo(2);
    }

    @Test
    void aRunOlderThanTheGraceCountsAllTimeButGoesToCorrectionsForItsHour() {
        // given stream time 80 h after a run's start (grace 72 h)
        TestOutputTopic<String, byte[]> corrections = f.output(Topics.CORRECTIONS.name());
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0.plusSeconds(80 * 3600), StreamFixture.channels(4, 1.1)));
        f.send("B", alignmentRun("B", "L1", "AA-01", 1, T0, StreamFixture.channels(4, 1.5)));

        f.flushStatistics();
        var latest = f.latest(stats, CouplingLossStatistics.class);
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getN()).isEqualTo(2);
        assertThat(latest).doesNotContainKey("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T06:00:00Z|1");
        List<TestRecord<String, byte[]>> late = new ArrayList<>(corrections.readRecordsToList());
        assertThat(late).hasSize(1);
        assertThat(new String(late.get(0).headers().lastHeader(Topics.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8))
                .contains("hourly statistics window is closed");
    }

    @Test
    void aBacklogOfUpTo72HoursCountsInItsOwnHours() {
        // given stream time 70 h after the backlog's runs (an agent offline for a weekend draining)
        f.send("NOW", alignmentRun("NOW", "L1", "AA-02", 1, T0.plusSeconds(70 * 3600), StreamFixture.channels(4, 1.1)));
        TestOutputTopic<String, byte[]> corrections = f.output(Topics.CORRECTIONS.name());

        // when three backlog runs of two hours arrive
        f.send("B1", alignmentRun("B1", "L1", "AA-01", 1, T0.plusSeconds(60), StreamFixture.channels(4, 1.2)));
        f.send("B2", alignmentRun("B2", "L1", "AA-01", 1, T0.plusSeconds(120), StreamFixture.channels(4, 1.4)));
        f.send("B3", alignmentRun("B3", "L1", "AA-01", 1, T0.plusSeconds(3700), StreamFixture.channels(4, 1.6)));
        f.flushStatistics();

        // then each counts in the hour it started, none is a correction
        var latest = f.latest(stats, CouplingLossStatistics.class);
        assertThat(latest.get("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T06:00:00Z|1").getN()).isEqualTo(2);
        assertThat(latest.get("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T06:00:00Z|1").getMeanDb()).isCloseTo(1.3, within(1e-12));
        assertThat(latest.get("STATION_HOUR|CPO-OE16|AA-01|2026-11-24T07:00:00Z|1").getN()).isEqualTo(1);
        assertThat(corrections.isEmpty()).isTrue();
    }

    @Test
    void theStatisticsCarryTheirMergeableSummary() {
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, StreamFixture.channels(2, 1.1)));
        f.send("B", alignmentRun("B", "L2", "AA-01", 1, T0.plusSeconds(60), StreamFixture.channels(2, 1.3)));
        f.flushStatistics();
        var latest = f.latest(stats, CouplingLossStatistics.class);

        var l1 = com.cpo.domain.stats.DistributionSummary.fromBytes(latest.get("PRODUCT_LOT|CPO-OE16|L1|1").getSummary().array());
        var l2 = com.cpo.domain.stats.DistributionSummary.fromBytes(latest.get("PRODUCT_LOT|CPO-OE16|L2|1").getSummary().array());
        l1.merge(l2);

        assertThat(l1.count()).isEqualTo(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getN());
        assertThat(l1.mean()).isCloseTo(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getMeanDb(), within(1e-12));
    }

    @Test
    void valuesWaitInTheBufferUntilTheNextFlushAndAreCountedOnce() {
        f.send("A", alignmentRun("A", "L1", "AA-01", 1, T0, StreamFixture.channels(2, 1.1)));
        assertThat(stats.isEmpty()).isTrue();

        f.flushStatistics();
        f.flushStatistics();

        var latest = f.latest(stats, CouplingLossStatistics.class);
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getN()).isEqualTo(1);
        assertThat(latest.get("PRODUCT_STATION|CPO-OE16|AA-01|1").getRevision()).isEqualTo(1);
    }
}
