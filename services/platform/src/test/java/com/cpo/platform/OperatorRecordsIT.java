package com.cpo.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * Operators see what went wrong: every dead letter and correction, with its reason, in REST and as counts; a
 * dead letter is replayed to its source once its cause is fixed, and only once.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class OperatorRecordsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void deadLettersAndCorrectionsAreListedWithTheirReasonAndADeadLetterReplaysOnce() throws Exception {
        // given a dead letter of a station event, one of a limit set, and a correction
        String key = "SN-DL-" + UUID.randomUUID();
        byte[] payload = ("station event bytes of " + key).getBytes(StandardCharsets.UTF_8);
        long before = given().get("/api/operator-records/counts").jsonPath().getLong("deadLetters");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, key, payload,
                    headers("invalid RunStarted: channel count -1 is outside 1..64", Topics.STATION_EVENTS.name()))).get();
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, key + "-limits", payload,
                    headers("lower above upper", Topics.LIMITS.name()))).get();
            producer.send(new ProducerRecord<>(Topics.CORRECTIONS.name(), null, key, payload,
                    headers("arrived after run X was judged; not counted in its verdict", Topics.STATION_EVENTS.name()))).get();
        }

        // then both lists show them with their reasons and sources, and the counts include them
        JsonPath dead = await().atMost(TIMEOUT).until(() -> given().get("/api/dead-letters?size=1000").jsonPath(),
                j -> j.getList("findAll { it.key == '" + key + "' }").size() == 1);
        Map<String, Object> letter = dead.getMap("find { it.key == '" + key + "' }");
        assertThat(letter).containsEntry("reason", "invalid RunStarted: channel count -1 is outside 1..64")
                .containsEntry("sourceTopic", Topics.STATION_EVENTS.name()).containsEntry("sourcePartition", 2)
                .containsEntry("sourceOffset", 77).containsEntry("payloadBytes", payload.length).containsEntry("replayedAt", null);
        JsonPath corrections = await().atMost(TIMEOUT).until(() -> given().get("/api/corrections?size=1000").jsonPath(),
                j -> j.getList("findAll { it.key == '" + key + "' }").size() == 1);
        assertThat(corrections.getString("find { it.key == '" + key + "' }.reason")).contains("was judged");
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(given().get("/api/operator-records/counts").jsonPath().getLong("deadLetters")).isGreaterThanOrEqualTo(before + 2));
        assertThat(given().get("/api/dead-letters").header("X-Total-Count")).isNotNull();

        // when the station event's dead letter is replayed
        int id = ((Number) letter.get("id")).intValue();
        given().post("/api/dead-letters/{id}/replay", id).then().statusCode(200);

        // then its bytes are on the station-events topic again, marked as the replay of that dead letter
        ConsumerRecord<String, byte[]> replayed = awaitOn(Topics.STATION_EVENTS.name(), key);
        assertThat(replayed.value()).isEqualTo(payload);
        assertThat(new String(replayed.headers().lastHeader("cpo.replay.of").value(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(id));
        assertThat(given().get("/api/dead-letters?size=1000").jsonPath().getString("find { it.id == " + id + " }.replayedAt")).isNotNull();
        // and a second replay is refused, as is a dead letter of a topic that cannot be replayed, and an unknown one
        given().post("/api/dead-letters/{id}/replay", id).then().statusCode(409).contentType("application/problem+json");
        int limitsId = given().get("/api/dead-letters?size=1000").jsonPath().getInt("find { it.key == '" + key + "-limits' }.id");
        given().post("/api/dead-letters/{id}/replay", limitsId).then().statusCode(400).contentType("application/problem+json");
        given().post("/api/dead-letters/{id}/replay", Integer.MAX_VALUE).then().statusCode(404);
    }

    private static RecordHeaders headers(String reason, String sourceTopic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_DLQ_SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_DLQ_SOURCE_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
        headers.add(Topics.HEADER_DLQ_SOURCE_OFFSET, "77".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private ConsumerRecord<String, byte[]> awaitOn(String topic, String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "replay-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().filter(r -> key.equals(r.key())).findFirst().orElse(null);
            }, record -> record != null);
        }
    }
}
