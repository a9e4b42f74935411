package com.cpo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

/**
 * Whether a late run counts in its hourly window must not depend on whether the application restarted in
 * between: stream time lives in a changelogged store, so a new instance with an empty state folder restores it.
 */
class StreamTimeRestartIT {

    private static final int PARTITIONS = 3;

    @Test
    void aRunBeyondTheGraceIsACorrectionAfterARestartWithEmptyStateToo() throws Exception {
        // given a run 80 h after T0 judged by one instance, which then stops
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
        EventCodec codec = EventCodec.standard();
        String tag = Long.toString(System.nanoTime(), 36).toUpperCase();
        String late = "RT-OLD-" + tag;
        String recent = serialInSamePartition(late, "RT-NEW-" + tag);
        String applicationId = "analytics-restart-it-" + tag;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            LimitSet limits = LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(1).setProduct("CPO-OE16")
                    .setOperation(Operation.ALIGN).setEffectiveFrom(StreamFixture.T0.minusSeconds(3600)).setReleasedBy("it")
                    .setLimits(List.of(StreamFixture.limit("coupling_loss", null, 2.0, "dB"))).build();
            producer.send(new ProducerRecord<>(Topics.LIMITS.name(), "CPO-OE16/ALIGN@1", codec.encode(limits))).get();
            try (AnalyticsApp first = AnalyticsApp.start(config(kafka, applicationId))) {
                send(producer, codec, recent, StreamFixture.alignmentRun(recent, "L-RT", "AA-01", 1, StreamFixture.T0.plusSeconds(80 * 3600),
                        StreamFixture.channels(4, 1.2)));
                await().atMost(Duration.ofSeconds(60)).until(() -> verdictSerials(kafka).contains(recent));
            }

            // when a new instance, with nothing in its state folder, judges a run that started 80 h earlier
            try (AnalyticsApp second = AnalyticsApp.start(config(kafka, applicationId))) {
                send(producer, codec, late, StreamFixture.alignmentRun(late, "L-RT", "AA-01", 1, StreamFixture.T0,
                        StreamFixture.channels(4, 1.3)));

                // then its hourly window is closed, as it would have been without the restart
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(correctionReasons(kafka, late))
                        .anyMatch(reason -> reason.contains("hourly statistics window is closed")));
            }
        }
    }

    private static AnalyticsConfig config(EmbeddedKafka kafka, String applicationId) throws Exception {
        Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "streams-restart-it-");
        return AnalyticsConfig.defaults().withBootstrapServers(kafka.bootstrapServers()).withStateDir(state.toString())
                .withQueryPort(-1).withApplicationId(applicationId);
    }

    /** A serial whose records share {@code other}'s partition (stream time is a task's, i.e. a partition's). */
    private static String serialInSamePartition(String other, String prefix) {
        int target = partition(other);
        for (int i = 0;; i++) {
            if (partition(prefix + i) == target) {
                return prefix + i;
            }
        }
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static void send(KafkaProducer<String, byte[]> producer, EventCodec codec, String serial,
            List<org.apache.avro.specific.SpecificRecord> run) throws Exception {
        for (var e : run) {
            producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), serial, codec.encode(e))).get();
        }
    }

    private static List<String> verdictSerials(EmbeddedKafka kafka) {
        List<String> serials = new ArrayList<>();
        readAll(kafka, Topics.VERDICTS.name()).forEach(r -> serials.add(r.key()));
        return serials;
    }

    private static List<String> correctionReasons(EmbeddedKafka kafka, String serial) {
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, Topics.CORRECTIONS.name())) {
            if (serial.equals(r.key())) {
                reasons.add(new String(r.headers().lastHeader(Topics.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8));
            }
        }
        return reasons;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka kafka, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
