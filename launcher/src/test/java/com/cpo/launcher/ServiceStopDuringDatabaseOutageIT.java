package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.Topics;

/**
 * The service is stopped (SIGTERM, its worker threads interrupted) while a verdict waits for PostgreSQL: the
 * verdict is neither dead-lettered nor lost, and the restarted service stores it once the database is back.
 */
class ServiceStopDuringDatabaseOutageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-");
        // no simulated station or rack: the only verdict is the test's
        platform = LocalPlatform.start(new LocalPlatform.Options(ProjectRoot.find(), work, 0, 1L, 0, 0, 0, null, 0, 1));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.postgres().endOutage();
            platform.close();
        }
    }

    @Test
    void aVerdictWaitingForTheDatabaseWhenTheServiceStopsIsStoredAfterTheRestartAndNeverDeadLettered() throws Exception {
        // given PostgreSQL refuses connections, and a verdict waits for it in the service
        String serial = "OUTAGE-" + UUID.randomUUID().toString().substring(0, 8);
        platform.postgres().beginOutage();
        // the test plays the analytics app: only its principal may write verdicts
        Properties props = platform.kafka().clientProperties(KafkaAccess.ANALYTICS);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Verdict> producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<>())) {
            producer.send(new ProducerRecord<>(Topics.VERDICTS.name(), serial, verdict(serial))).get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> metric("cpo_database_waiting_records") >= 1.0);

        // when the service is stopped (SIGTERM: it interrupts its worker threads after 10 s), then the database
        // comes back and the service is started again
        platform.stopService();
        platform.postgres().endOutage();
        platform.startService();

        // then the verdict is stored
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> status("/api/units/" + serial) == 200);
        // and nothing of it went to the dead-letter topic
        assertThat(deadLetters(serial)).isEmpty();
    }

    private static Verdict verdict(String serial) {
        Instant now = Instant.now();
        return Verdict.newBuilder().setEventId("verdict:" + serial).setEventTime(now).setRunId(serial + "-ALIGN-1").setSerial(serial)
                .setProduct("CPO-OE16").setLot("L-OUTAGE").setStation("AA-01").setOperation(Operation.ALIGN).setAttempt(1)
                .setRunStartTime(now.minusSeconds(60)).setOutcome(Outcome.PASS).setLimitSetId(LocalPlatform.LIMIT_SET_ID)
                .setLimitSetVersion(1).setReason(null).setFailedChecks(List.of()).build();
    }

    private static int status(String path) throws Exception {
        return HTTP.send(platform.session().request(path).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static double metric(String name) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.serviceUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The records with this key on the dead-letter topic, up to its end now. */
    private static List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
        Properties props = platform.kafka().clientProperties(EmbeddedKafka.ADMIN);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
            return found;
        }
    }
}
