package com.cpo.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;

/** The topology under TopologyTestDriver, with builders for station events. */
final class StreamFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    final AnalyticsConfig config = AnalyticsConfig.defaults();
    final EventCodec codec = EventCodec.standard();
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> events;
    final TestInputTopic<String, byte[]> limits;

    StreamFixture() {
        Properties props = AnalyticsApp.streamsProperties(config.withStateDir("target/tmp/streams-test-" + System.nanoTime()));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(AnalyticsTopology.build(config), props, T0);
        events = driver.createInputTopic(Topics.STATION_EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
        limits = driver.createInputTopic(Topics.LIMITS.name(), new StringSerializer(), new ByteArraySerializer());
    }

    void releaseLimits(String id, Operation operation, List<Limit> list) {
        LimitSet set = LimitSet.newBuilder().setLimitSetId(id).setVersion(1).setProduct("CPO-OE16").setOperation(operation)
                .setEffectiveFrom(T0.minusSeconds(86_400)).setReleasedBy("test").setLimits(list).build();
        limits.pipeInput(id + "@1", codec.encode(set));
    }

    static Limit limit(String parameter, Double lower, Double upper, String unit) {
        return Limit.newBuilder().setParameter(parameter).setLowerLimit(lower).setUpperLimit(upper).setUnitOfMeasure(unit).build();
    }

    /** Lets buffered coupling-loss values and yield deltas reach their aggregates (flushed every second of wall-clock time). */
    void flushStatistics() {
        driver.advanceWallClockTime(com.cpo.analytics.judge.RunJudgeProcessor.FLUSH_EVERY);
    }

    TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    <T extends SpecificRecord> List<T> read(TestOutputTopic<String, byte[]> topic, Class<T> type) {
        return topic.readValuesToList().stream().map(v -> codec.decode(v, type)).toList();
    }

    /** The latest value per key. */
    <T extends SpecificRecord> Map<String, T> latest(TestOutputTopic<String, byte[]> topic, Class<T> type) {
        Map<String, T> latest = new LinkedHashMap<>();
        topic.readKeyValuesToList().forEach(kv -> latest.put(kv.key, codec.decode(kv.value, type)));
        return latest;
    }

    void send(String serial, SpecificRecord event) {
        events.pipeInput(serial, codec.encode(event));
    }

    void send(String serial, List<SpecificRecord> run) {
        run.forEach(e -> send(serial, e));
    }

    /** An ALIGN run with the same coupling loss at every step per channel. */
    static List<SpecificRecord> alignmentRun(String serial, String lot, String station, int attempt, Instant start, double[] lossDb) {
        String runId = station + "/" + serial + "/ALIGN/" + attempt;
        List<SpecificRecord> run = new ArrayList<>();
        run.add(RunStarted.newBuilder().setEventId(runId + ":start").setEventTime(start).setRunId(runId).setSerial(serial)
                .setProduct("CPO-OE16").setLot(lot).setStation(station).setOperator("op1").setOperation(Operation.ALIGN)
                .setAttempt(attempt).setLimitSetId("CPO-OE16/ALIGN").setChannelCount(lossDb.length).build());
        for (AlignmentStep step : AlignmentStep.values()) {
            List<ChannelAlignment> channels = new ArrayList<>();
            for (int ch = 0; ch < lossDb.length; ch++) {
                channels.add(new ChannelAlignment(ch + 1, lossDb[ch], 0.1));
            }
            run.add(AlignmentResult.newBuilder().setEventId(runId + ":" + step).setEventTime(start.plusSeconds(30)).setRunId(runId)
                    .setSerial(serial).setStation(station).setStep(step).setChannels(channels).build());
        }
        run.add(RunCompleted.newBuilder().setEventId(runId + ":end").setEventTime(start.plusSeconds(60)).setRunId(runId).setSerial(serial)
                .setStation(station).setOperation(Operation.ALIGN).setAborted(false).setMeasurementEvents(3).build());
        return run;
    }

    static double[] channels(int n, double db) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, db);
        return values;
    }

    static RunStarted burnInStart(String serial, String runId, Instant start, int channels) {
        return RunStarted.newBuilder().setEventId(runId + ":start").setEventTime(start).setRunId(runId).setSerial(serial)
                .setProduct("CPO-OE16").setLot("L1").setStation("BI-01").setOperator("op1").setOperation(Operation.BURNIN)
                .setAttempt(1).setLimitSetId("CPO-OE16/BURNIN").setChannelCount(channels).build();
    }

    static BurnInReading reading(String serial, String runId, Instant time, int channel, double powerDbm, double biasMa) {
        return BurnInReading.newBuilder().setEventId(runId + ":" + channel + ":" + time.toEpochMilli()).setEventTime(time).setRunId(runId)
                .setSerial(serial).setStation("BI-01").setSlot(3).setChannel(channel).setPowerDbm(powerDbm).setBiasCurrentMa(biasMa)
                .setCaseTemperatureC(85.0).build();
    }

    static RunCompleted burnInEnd(String serial, String runId, Instant end, int readings) {
        return RunCompleted.newBuilder().setEventId(runId + ":end").setEventTime(end).setRunId(runId).setSerial(serial).setStation("BI-01")
                .setOperation(Operation.BURNIN).setAborted(false).setMeasurementEvents(readings).build();
    }

    @Override
    public void close() {
        driver.close();
    }
}
