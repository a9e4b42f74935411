package com.cpo.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.analytics.state.Names;
import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.FailedCheck;
import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;

class AnalyticsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    private final AnalyticsConfig config = AnalyticsConfig.defaults();
    private final EventCodec codec = EventCodec.standard();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> limits;
    private TestOutputTopic<String, byte[]> verdicts;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        Properties props = AnalyticsApp.streamsProperties(config.withStateDir("target/tmp/streams-test-" + System.nanoTime()));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(AnalyticsTopology.build(config), props, T0);
        events = driver.createInputTopic(Topics.STATION_EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
        limits = driver.createInputTopic(Topics.LIMITS.name(), new StringSerializer(), new ByteArraySerializer());
        verdicts = driver.createOutputTopic(Topics.VERDICTS.name(), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new StringDeserializer(), new ByteArrayDeserializer());
        LimitSet v1 = LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(1).setProduct("CPO-OE16")
                .setOperation(Operation.ALIGN).setEffectiveFrom(T0.minusSeconds(3600)).setReleasedBy("test")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setUpperLimit(2.0).setUnitOfMeasure("dB").build()))
                .build();
        limits.pipeInput("CPO-OE16/ALIGN@1", codec.encode(v1));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(SpecificRecord event, String serial) {
        events.pipeInput(serial, codec.encode(event));
    }

    private List<SpecificRecord> alignmentRun(String serial, int attempt, double[] lossDb, boolean aborted) {
        String runId = "AA-01/" + serial + "/ALIGN/" + attempt;
        List<SpecificRecord> run = new ArrayList<>();
        run.add(RunStarted.newBuilder().setEventId(runId + ":start").setEventTime(T0).setRunId(runId).setSerial(serial)
                .setProduct("CPO-OE16").setLot("L1").setStation("AA-01").setOperator("op1").setOperation(Operation.ALIGN)
                .setAttempt(attempt).setLimitSetId("CPO-OE16/ALIGN").setChannelCount(lossDb.length).build());
        for (AlignmentStep step : AlignmentStep.values()) {
            List<ChannelAlignment> channels = new ArrayList<>();
            for (int ch = 0; ch < lossDb.length; ch++) {
                channels.add(new ChannelAlignment(ch + 1, lossDb[ch], 0.1));
            }
            run.add(AlignmentResult.newBuilder().setEventId(runId + ":" + step).setEventTime(T0.plusSeconds(10)).setRunId(runId)
                    .setSerial(serial).setStation("AA-01").setStep(step).setChannels(channels).build());
        }
        run.add(RunCompleted.newBuilder().setEventId(runId + ":end").setEventTime(T0.plusSeconds(60)).setRunId(runId).setSerial(serial)
                .setStation("AA-01").setOperation(Operation.ALIGN).setAborted(aborted).setMeasurementEvents(3).build());
        return run;
    }

    private static double[] goodChannels() {
        double[] db = new double[16];
        java.util.Arrays.fill(db, 1.2);
        return db;
    }

    private List<Verdict> readVerdicts() {
        return verdicts.readValuesToList().stream().map(v -> codec.decode(v, Verdict.class)).toList();
    }

    @Test
    void aCompleteRunWithinLimitsPasses() {
        alignmentRun("SN1", 1, goodChannels(), false).forEach(e -> send(e, "SN1"));

        List<Verdict> out = readVerdicts();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getOutcome()).isEqualTo(Outcome.PASS);
        assertThat(out.get(0).getLimitSetVersion()).isEqualTo(1);
        assertThat(out.get(0).getLot()).isEqualTo("L1");
    }

    @Test
    void aBadChannelFailsTheRunAndTheVerdictNamesIt() {
        double[] db = goodChannels();
        db[6] = 3.2;
        alignmentRun("SN2", 1, db, false).forEach(e -> send(e, "SN2"));

        Verdict verdict = readVerdicts().get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.FAIL);
        assertThat(verdict.getFailedChecks()).extracting(FailedCheck::getChannel).containsOnly(7);
        assertThat(verdict.getFailedChecks()).hasSize(3);
        assertThat(verdict.getFailedChecks().get(0).getUpperLimit()).isEqualTo(2.0);
        assertThat(verdict.getFailedChecks().get(0).getUnitOfMeasure()).isEqualTo("dB");
    }

    @Test
    void redeliveredEventsChangeNothing() {
        List<SpecificRecord> run = alignmentRun("SN3", 1, goodChannels(), false);
        run.forEach(e -> send(e, "SN3"));
        run.forEach(e -> send(e, "SN3"));

        assertThat(readVerdicts()).hasSize(1);
    }

    @Test
    void anAbortedRunIsIncomplete() {
        alignmentRun("SN4", 1, goodChannels(), true).forEach(e -> send(e, "SN4"));

        Verdict verdict = readVerdicts().get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(verdict.getReason()).contains("aborted");
    }

    @Test
    void aRunWithMissingMeasurementsBecomesIncompleteAfterTheTimeout() {
        // given a run whose POST_THERMAL step never arrives
        List<SpecificRecord> run = alignmentRun("SN5", 1, goodChannels(), false);
        run.remove(3);
        run.forEach(e -> send(e, "SN5"));
        assertThat(readVerdicts()).isEmpty();

        // when
        driver.advanceWallClockTime(config.missingMeasurementsTimeout().plus(Duration.ofSeconds(5)));

        // then
        Verdict verdict = readVerdicts().get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(verdict.getReason()).contains("measurements missing");
    }

    @Test
    void aRunWithoutALimitSetInForceIsIncomplete() {
        List<SpecificRecord> run = alignmentRun("SN6", 1, goodChannels(), false);
        ((RunStarted) run.get(0)).setLimitSetId("UNKNOWN/ALIGN");
        run.forEach(e -> send(e, "SN6"));

        assertThat(readVerdicts().get(0).getOutcome()).isEqualTo(Outcome.INCOMPLETE);
    }

    @Test
    void aPoisonEventGoesToTheDeadLetterTopicWithTheReasonAndGoodEventsStillFlow() {
        // given
        events.pipeInput("SN7", "not avro at all".getBytes(StandardCharsets.UTF_8));
        alignmentRun("SN7", 1, goodChannels(), false).forEach(e -> send(e, "SN7"));

        // then
        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(new String(dead.headers().lastHeader(Topics.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8))
                .contains("not Avro single-object encoded");
        assertThat(new String(dead.headers().lastHeader(Topics.HEADER_DLQ_SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.STATION_EVENTS.name());
        assertThat(readVerdicts()).hasSize(1);
    }

    @Test
    void decodableButInvalidEventsAreDeadLetteredWithTheirReasonAndJudgingGoesOn() {
        // given a run start with a negative channel count, one with a path in its serial, a reading of channel 0,
        // and then a good run
        List<SpecificRecord> negative = alignmentRun("SN20", 1, goodChannels(), false);
        ((RunStarted) negative.get(0)).setChannelCount(-1);
        send(negative.get(0), "SN20");
        List<SpecificRecord> hostile = alignmentRun("SN21", 1, goodChannels(), false);
        ((RunStarted) hostile.get(0)).setSerial("../x");
        send(hostile.get(0), "../x");
        send(StreamFixture.reading("SN22", "BI-01/SN22/BURNIN/1", T0, 0, 1.0, 50.0), "SN22");

        // when
        alignmentRun("SN23", 1, goodChannels(), false).forEach(e -> send(e, "SN23"));

        // then every invalid event is a dead letter naming what is wrong, and the good run is judged
        List<String> reasons = deadLetters.readRecordsToList().stream()
                .map(r -> new String(r.headers().lastHeader(Topics.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8)).toList();
        assertThat(reasons).containsExactly(
                "invalid RunStarted: channel count -1 is outside 1..64",
                "invalid RunStarted: serial '../x' may hold only letters, digits, '.', '_' and '-', and must begin with a letter or digit",
                "invalid BurnInReading: channel 0 is outside 1..64");
        assertThat(readVerdicts()).extracting(Verdict::getSerial).containsExactly("SN23");
    }

    @Test
    void anInvalidLimitSetIsNeverUsedAndRunsAreJudgedByTheVersionBefore() {
        // given version 2 with lower above upper, in force from before the run
        LimitSet v2 = LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(2).setProduct("CPO-OE16")
                .setOperation(Operation.ALIGN).setEffectiveFrom(T0.minusSeconds(60)).setReleasedBy("test")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setLowerLimit(3.0).setUpperLimit(1.0)
                        .setUnitOfMeasure("dB").build()))
                .build();
        limits.pipeInput("CPO-OE16/ALIGN@2", codec.encode(v2));

        // when
        alignmentRun("SN24", 1, goodChannels(), false).forEach(e -> send(e, "SN24"));

        // then
        Verdict verdict = readVerdicts().get(0);
        assertThat(verdict.getOutcome()).isEqualTo(Outcome.PASS);
        assertThat(verdict.getLimitSetVersion()).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void theTopologyNamesEveryStoreAndNode() {
        String description = AnalyticsTopology.build(config).describe().toString();
        assertThat(description).contains(Names.RUN_STORE, Names.LIMITS_STORE, Names.JUDGE_RUNS)
                .doesNotContain("KSTREAM-", "KTABLE-");
    }

    @Test
    void afterTheRetentionAJudgedRunKeepsOnlyThatItWasJudgedAndItsLateEventsAreCorrections() {
        // given a judged run
        List<SpecificRecord> run = alignmentRun("SN8", 1, goodChannels(), false);
        run.forEach(e -> send(e, "SN8"));
        assertThat(readVerdicts()).hasSize(1);
        TestOutputTopic<String, byte[]> corrections = driver.createOutputTopic(Topics.CORRECTIONS.name(), new StringDeserializer(),
                new ByteArrayDeserializer());

        // when the retention has passed and an event of it is delivered again
        driver.advanceWallClockTime(config.judgedRunRetention().plusSeconds(10));
        send(run.get(1), "SN8");

        // then its state is compacted, no second verdict appears, and the event is a correction
        var state = driver.<String, com.cpo.analytics.state.RunState>getKeyValueStore(Names.RUN_STORE).get("AA-01/SN8/ALIGN/1");
        assertThat(state.getJudged()).isTrue();
        assertThat(state.getEventIds()).isEmpty();
        assertThat(readVerdicts()).isEmpty();
        assertThat(corrections.readRecordsToList()).hasSize(1);
    }
}
