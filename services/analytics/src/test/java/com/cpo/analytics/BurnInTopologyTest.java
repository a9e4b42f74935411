package com.cpo.analytics;

import static com.cpo.analytics.StreamFixture.T0;
import static com.cpo.analytics.StreamFixture.burnInEnd;
import static com.cpo.analytics.StreamFixture.burnInStart;
import static com.cpo.analytics.StreamFixture.reading;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlarmKind;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInChannelStatus;
import com.cpo.events.BurnInStatus;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;

class BurnInTopologyTest {

    private static final String RUN = "BI-01/SN1/BURNIN/1";
    private StreamFixture f;
    private TestOutputTopic<String, byte[]> verdicts;
    private TestOutputTopic<String, byte[]> alarms;

    @BeforeEach
    void start() {
        f = new StreamFixture();
        f.releaseLimits("CPO-OE16/BURNIN", Operation.BURNIN, List.of(
                StreamFixture.limit("power_drift", -0.5, 0.5, "dB"),
                StreamFixture.limit("bias_drift", null, 5.0, "%"),
                StreamFixture.limit("sudden_drop", null, 1.0, "dB")));
        verdicts = f.output(Topics.VERDICTS.name());
        alarms = f.output(Topics.BURNIN_ALARMS.name());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Sends {@code hours} of minute readings on 2 channels; channel 2's power falls by {@code ch2DriftDbPerHour}. */
    private int feed(int hours, double ch2DriftDbPerHour) {
        int count = 0;
        for (int m = 0; m <= hours * 60; m++) {
            Instant t = T0.plusSeconds(60L * m);
            f.send("SN1", reading("SN1", RUN, t, 1, 3.0, 40.0));
            f.send("SN1", reading("SN1", RUN, t, 2, 3.0 + ch2DriftDbPerHour * m / 60.0, 40.0));
            count += 2;
        }
        return count;
    }

    @Test
    void aStableUnitPassesBurnIn() {
        f.send("SN1", burnInStart("SN1", RUN, T0, 2));
        int readings = feed(4, 0.0);
        f.send("SN1", burnInEnd("SN1", RUN, T0.plusSeconds(4 * 3600), readings));

        Verdict verdict = f.read(verdicts, Verdict.class).get(0);
        assertThat(verdict.getOperation()).isEqualTo(Operation.BURNIN);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.PASS);
        assertThat(f.read(alarms, BurnInAlarm.class)).isEmpty();
    }

    @Test
    void aDriftingChannelRaisesOneAlarmWhileInTheRackAndFailsItsVerdict() {
        // given channel 2 drifting -0.2 dB/h: it will cross -0.5 dB before the end of the 24 h burn-in
        f.send("SN1", burnInStart("SN1", RUN, T0, 2));
        int readings = feed(6, -0.2);

        // then an alarm was raised before the end of burn-in, once, naming its channel
        List<BurnInAlarm> raised = f.read(alarms, BurnInAlarm.class);
        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlarmKind.POWER_DRIFT_PROJECTED);
            assertThat(a.getTransition()).isEqualTo(com.cpo.events.AlarmTransition.RAISED);
            assertThat(a.getChannels()).containsExactly(2);
            assertThat(a.getEventTime()).as("at the first projection, 4 h after the stabilisation hour").isEqualTo(T0.plusSeconds(5 * 3600));
            assertThat(a.getChannel()).isEqualTo(2);
            assertThat(a.getSlopePerHour()).isBetween(-0.21, -0.19);
            assertThat(a.getHoursToLimit()).isNotNull();
            assertThat(a.getUnitOfMeasure()).isEqualTo("dB");
        });

        // and the verdict fails on power drift of channel 2
        f.send("SN1", burnInEnd("SN1", RUN, T0.plusSeconds(6 * 3600), readings));
        Verdict verdict = f.read(verdicts, Verdict.class).get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.FAIL);
        assertThat(verdict.getFailedChecks()).extracting(FailedCheck::getParameter, FailedCheck::getChannel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("power_drift", 2));
    }

    @Test
    void aUnitInTheRackHasItsStatusWithItsAlarmAndOncePerFlushAndATombstoneWhenJudged() {
        // given channel 2 drifting -0.05 dB/h for 6 h of minute readings
        TestOutputTopic<String, byte[]> statuses = f.output(Topics.BURNIN_STATUS.name());
        f.send("SN1", burnInStart("SN1", RUN, T0, 2));
        int readings = feed(6, -0.05);

        // then the alarm (projected to -1.1 dB by the end of burn-in) came with its unit's status, so a
        // dashboard knows the unit when the alarm arrives; the readings since wait for the flush
        assertThat(f.read(alarms, BurnInAlarm.class)).singleElement().satisfies(a -> assertThat(a.getChannel()).isEqualTo(2));
        assertThat(statuses.readRecordsToList()).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo(RUN));

        // when the once-a-second flush runs
        f.flushStatistics();

        // then one status for the readings since, keyed by run, with the run's unit and limit set
        var records = statuses.readRecordsToList();
        assertThat(records).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo(RUN));
        BurnInStatus status = f.codec.decode(records.get(0).value(), BurnInStatus.class);
        assertThat(status.getSerial()).isEqualTo("SN1");
        assertThat(status.getProduct()).isEqualTo("CPO-OE16");
        assertThat(status.getLot()).isEqualTo("L1");
        assertThat(status.getStation()).isEqualTo("BI-01");
        assertThat(status.getSlot()).isEqualTo(3);
        assertThat(status.getEventTime()).isEqualTo(T0.plusSeconds(6 * 3600));
        assertThat(status.getHoursInRack()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(status.getLimitSetId()).isEqualTo("CPO-OE16/BURNIN");
        assertThat(status.getChannels()).extracting(BurnInChannelStatus::getChannel).containsExactly(1, 2);
        BurnInChannelStatus flat = status.getChannels().get(0);
        BurnInChannelStatus drifting = status.getChannels().get(1);
        assertThat(flat.getReadings()).isEqualTo(361);
        assertThat(flat.getPowerHoursToLimit()).as("a flat channel heads to no limit").isNull();
        assertThat(drifting.getPowerSlopeDbPerHour()).isBetween(-0.0501, -0.0499);
        assertThat(drifting.getPowerDriftLowerLimitDb()).isEqualTo(-0.5);
        assertThat(drifting.getPowerDriftUpperLimitDb()).isEqualTo(0.5);
        assertThat(drifting.getPowerDriftDb()).isNegative();
        // the baseline is the first hour's mean (at 0.5 h): the line is 0.275 dB below it at 6 h and reaches
        // -0.5 dB 4.5 h later
        assertThat(drifting.getPowerHoursToLimit()).isCloseTo(4.5, org.assertj.core.data.Offset.offset(0.05));
        assertThat(drifting.getBiasDriftPct()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));

        // when nothing new arrives, the next flush sends nothing
        f.flushStatistics();
        assertThat(statuses.isEmpty()).isTrue();

        // when the run ends and is judged, the unit leaves the rack: a tombstone under its key
        f.send("SN1", burnInEnd("SN1", RUN, T0.plusSeconds(6 * 3600), readings));
        f.flushStatistics();
        var left = statuses.readRecordsToList();
        assertThat(left).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(RUN);
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void aSuddenDropRaisesAnAlarmAsSoonAsTheNextReadingConfirmsIt() {
        f.send("SN1", burnInStart("SN1", RUN, T0, 1));
        f.send("SN1", reading("SN1", RUN, T0, 1, 3.0, 40));
        f.send("SN1", reading("SN1", RUN, T0.plusSeconds(60), 1, 3.0, 40));
        f.send("SN1", reading("SN1", RUN, T0.plusSeconds(120), 1, 1.4, 40));
        assertThat(f.read(alarms, BurnInAlarm.class)).as("one low reading may be an outlier").isEmpty();

        f.send("SN1", reading("SN1", RUN, T0.plusSeconds(180), 1, 1.4, 40));

        assertThat(f.read(alarms, BurnInAlarm.class)).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlarmKind.SUDDEN_DROP);
            assertThat(a.getValue()).isCloseTo(1.6, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(a.getChannels()).containsExactly(1);
        });
    }

    @Test
    void aSingleOutlierReadingRaisesNothing() {
        f.send("SN1", burnInStart("SN1", RUN, T0, 1));
        for (int m = 0; m <= 30; m++) {
            f.send("SN1", reading("SN1", RUN, T0.plusSeconds(60L * m), 1, m == 10 ? 0.5 : 3.0, 40));
        }
        assertThat(f.read(alarms, BurnInAlarm.class)).isEmpty();
    }

    @Test
    void redeliveredReadingsChangeNothingAndLateOnesGoToCorrections() {
        // given
        TestOutputTopic<String, byte[]> corrections = f.output(Topics.CORRECTIONS.name());
        f.send("SN1", burnInStart("SN1", RUN, T0, 1));
        for (int m = 0; m <= 120; m++) {
            var r = reading("SN1", RUN, T0.plusSeconds(60L * m), 1, 3.0, 40);
            f.send("SN1", r);
            f.send("SN1", r); // redelivered
        }
        f.send("SN1", burnInEnd("SN1", RUN, T0.plusSeconds(7200), 121));

        // then the verdict counts 121 readings, not 242, and passes
        assertThat(f.read(verdicts, Verdict.class)).singleElement().satisfies(v -> assertThat(v.getOutcome()).isEqualTo(Outcome.PASS));

        // when a reading arrives after the verdict
        f.send("SN1", reading("SN1", RUN, T0.plusSeconds(7260), 1, 3.0, 40));

        // then it is a correction with its reason, never silently dropped
        var late = corrections.readRecord();
        assertThat(new String(late.headers().lastHeader(Topics.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8))
                .contains("after run " + RUN + " was judged");
        assertThat(f.driver.metrics().keySet()).anyMatch(m -> m.name().equals("late-station-events-total"));
    }

    @Test
    void outputsCarryTheKafkaTimestampOfTheirTriggerNotTheTestersClock() {
        // given a rack whose clock runs two days ahead (the broker refuses timestamps more than 1 h ahead)
        Instant ahead = T0.plusSeconds(48 * 3600);
        f.events.pipeInput("SN1", f.codec.encode(burnInStart("SN1", RUN, ahead, 1)), T0);
        f.events.pipeInput("SN1", f.codec.encode(reading("SN1", RUN, ahead, 1, 3.0, 40)), T0);
        f.events.pipeInput("SN1", f.codec.encode(reading("SN1", RUN, ahead.plusSeconds(60), 1, 3.0, 40)), T0.plusSeconds(1));
        f.events.pipeInput("SN1", f.codec.encode(reading("SN1", RUN, ahead.plusSeconds(120), 1, 1.2, 40)), T0.plusSeconds(2));
        f.events.pipeInput("SN1", f.codec.encode(reading("SN1", RUN, ahead.plusSeconds(180), 1, 1.2, 40)), T0.plusSeconds(3));

        // then the alarm's event time is the rack's, its Kafka timestamp the trigger's
        var alarm = alarms.readRecord();
        assertThat(alarm.timestamp()).isEqualTo(T0.plusSeconds(3).toEpochMilli());
        assertThat(f.codec.decode(alarm.value(), BurnInAlarm.class).getEventTime()).isEqualTo(ahead.plusSeconds(180));
    }
}
