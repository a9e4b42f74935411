package com.cpo.analytics;

import static com.cpo.analytics.StreamFixture.T0;
import static com.cpo.analytics.StreamFixture.alignmentRun;
import static com.cpo.analytics.StreamFixture.channels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.events.Operation;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcChannelBaseline;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.events.WesternElectricRule;
import com.cpo.schemas.Topics;

class SpcTopologyTest {

    private StreamFixture f;
    private TestOutputTopic<String, byte[]> points;
    private TestOutputTopic<String, byte[]> violations;
    private TestInputTopic<String, byte[]> baselines;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.releaseLimits("CPO-OE16/ALIGN", Operation.ALIGN, List.of(StreamFixture.limit("coupling_loss", null, 3.0, "dB")));
        points = f.output(Topics.SPC_POINTS.name());
        violations = f.output(Topics.SPC_VIOLATIONS.name());
        baselines = f.driver.createInputTopic(Topics.SPC_BASELINES.name(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private int serial;

    /** Units of one hour at station AA-01, 2 channels: channel 1 at {@code ch1}, channel 2 at 1.0 dB; alternating ±0.1 dB. */
    private void hour(int hour, int units, double ch1) {
        for (int u = 0; u < units; u++) {
            double d = u % 2 == 0 ? 0.1 : -0.1;
            double[] db = {ch1 + d, 1.0 + d};
            String s = "SPC" + serial++;
            f.send(s, alignmentRun(s, "L1", "AA-01", 1, T0.plusSeconds(3600L * hour + 60L * u), db));
        }
        f.flushStatistics();
    }

    private void freeze(int version, double centre, double sigma) {
        SpcBaseline b = SpcBaseline.newBuilder().setEventId("CPO-OE16|AA-01@" + version).setProduct("CPO-OE16").setStation("AA-01")
                .setVersion(version).setPeriodStart(T0.minusSeconds(86_400)).setPeriodEnd(T0).setFrozenBy("eng").setFrozenAt(T0)
                .setReason("test").setChannels(List.of(
                        SpcChannelBaseline.newBuilder().setChannel(1).setCentreDb(centre).setSigmaDb(sigma).setSubgroups(24).setUnits(240).build(),
                        SpcChannelBaseline.newBuilder().setChannel(2).setCentreDb(1.0).setSigmaDb(sigma).setSubgroups(24).setUnits(240).build()))
                .build();
        baselines.pipeInput("CPO-OE16|AA-01", f.codec.encode(b));
    }

    @Test
    void anHourClosesWhenTheNextBeginsIntoOnePointPerChannelWithoutLimitsBeforeABaseline() {
        hour(0, 4, 1.2);
        assertThat(points.isEmpty()).as("the hour is still open").isTrue();

        hour(1, 2, 1.2);

        List<SpcPoint> closed = f.read(points, SpcPoint.class);
        assertThat(closed).extracting(SpcPoint::getChannel).containsExactly(1, 2);
        SpcPoint ch1 = closed.get(0);
        assertThat(ch1.getHourStart()).isEqualTo(T0);
        assertThat(ch1.getN()).isEqualTo(4);
        assertThat(ch1.getMeanDb()).isCloseTo(1.2, within(1e-12));
        assertThat(ch1.getStdDevDb()).isCloseTo(Math.sqrt(4 * 0.01 / 3), within(1e-9));
        assertThat(ch1.getBaselineVersion()).isNull();
        assertThat(ch1.getZ()).isNull();
        assertThat(f.read(violations, SpcViolation.class)).isEmpty();
    }

    @Test
    void aShiftedHourBreaksTheRulesOfTheFrozenBaselineAndIsAnEventOfItsOwn() {
        // given a baseline of 1.2 dB with a 0.1 dB within-hour sigma (10 units: the control limits are ±0.095 dB)
        freeze(1, 1.2, 0.1);
        hour(0, 10, 1.2);

        // when channel 1 shifts by +0.2 dB for an hour
        hour(1, 10, 1.4);
        hour(2, 10, 1.2);

        // then hour 0 is in control and hour 1 beyond 3 sigma, on channel 1 only
        List<SpcPoint> closed = f.read(points, SpcPoint.class);
        assertThat(closed).hasSize(4);
        SpcPoint shifted = closed.get(2);
        assertThat(shifted.getChannel()).isEqualTo(1);
        assertThat(shifted.getHourStart()).isEqualTo(T0.plusSeconds(3600));
        assertThat(shifted.getZ()).isCloseTo(0.2 / (0.1 / Math.sqrt(10)), within(1e-9));
        assertThat(shifted.getUpperControlLimitDb()).isCloseTo(1.2 + 3 * 0.1 / Math.sqrt(10), within(1e-12));
        assertThat(shifted.getViolations()).containsExactly(WesternElectricRule.BEYOND_3_SIGMA);
        assertThat(closed.get(0).getViolations()).isEmpty();
        List<SpcViolation> flagged = f.read(violations, SpcViolation.class);
        assertThat(flagged).singleElement().satisfies(v -> {
            assertThat(v.getRule()).isEqualTo(WesternElectricRule.BEYOND_3_SIGMA);
            assertThat(v.getChannel()).isEqualTo(1);
            assertThat(v.getStation()).isEqualTo("AA-01");
            assertThat(v.getBaselineVersion()).isEqualTo(1);
            assertThat(v.getEventTime()).isEqualTo(T0.plusSeconds(7200));
            assertThat(v.getMessage()).contains("channel 1").contains("1 point beyond 3σ");
        });
    }

    @Test
    void lateValuesForAClosedHourDoNotReopenIt() {
        freeze(1, 1.2, 0.1);
        hour(0, 4, 1.2);
        hour(1, 4, 1.2);
        f.read(points, SpcPoint.class);

        // a unit of hour 0 arrives after hour 1 began
        String s = "LATE";
        f.send(s, alignmentRun(s, "L1", "AA-01", 1, T0.plusSeconds(1800), new double[] {3.0, 3.0}));
        f.flushStatistics();
        hour(2, 4, 1.2);

        List<SpcPoint> closed = f.read(points, SpcPoint.class);
        assertThat(closed).extracting(SpcPoint::getHourStart).containsOnly(T0.plusSeconds(3600));
        assertThat(closed).allSatisfy(p -> assertThat(p.getN()).isEqualTo(4));
        assertThat(f.driver.metrics().keySet()).anyMatch(m -> m.name().equals("spc-late-batches-total"));
    }

    @Test
    void aNewBaselineVersionStartsTheChartAfresh() {
        freeze(1, 1.3, 0.1); // the centre above the process: every hour below it
        for (int h = 0; h < 8; h++) {
            hour(h, 10, 1.25);
        }
        assertThat(f.read(violations, SpcViolation.class)).isNotEmpty();

        freeze(2, 1.25, 0.1);
        for (int h = 8; h < 12; h++) {
            hour(h, 10, 1.25);
        }
        List<SpcPoint> after = f.read(points, SpcPoint.class).stream().filter(p -> p.getHourStart().isAfter(T0.plusSeconds(7 * 3600))).toList();
        assertThat(after).isNotEmpty().allSatisfy(p -> assertThat(p.getBaselineVersion()).isEqualTo(2));
        assertThat(f.read(violations, SpcViolation.class)).isEmpty();
    }
}
