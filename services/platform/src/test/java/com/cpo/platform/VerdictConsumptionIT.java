package com.cpo.platform;

import static com.cpo.platform.TestVerdicts.couplingLoss;
import static com.cpo.platform.TestVerdicts.fail;
import static com.cpo.platform.TestVerdicts.pass;
import static com.cpo.platform.TestVerdicts.uniqueSerial;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * Verdicts travel from a real broker through the packaged service into PostgreSQL and out of its REST
 * API; the test reads the database directly to count rows.
 */
@QuarkusIntegrationTest
@WithTestResource(RealInfrastructureResource.class)
class VerdictConsumptionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant MONDAY = Instant.parse("2026-03-02T08:00:00Z");
    /** Decimals as doubles, not RestAssured's default floats, so 2.61 reads back as 2.61. */
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    private final String bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();

    private VerdictProducer producer;

    @BeforeEach
    void openProducer() {
        producer = new VerdictProducer(bootstrapServers, Topics.VERDICTS.name());
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void consumedVerdictsAreServedInStartOrderWithTheirFailedChecks() {
        // given
        String serial = uniqueSerial("SN");
        Verdict retest = pass(serial, "LOT-A", 2, MONDAY.plusSeconds(3600));
        Verdict first = fail(serial, "LOT-A", 1, MONDAY, couplingLoss(3, 2.61), couplingLoss(7, 3.05));

        // when: the retest is published first; the API still orders runs by start time
        producer.send(retest);
        producer.send(first);

        // then
        JsonPath unit = awaitRuns(serial, 2);
        assertThat(unit.getString("serial")).isEqualTo(serial);
        assertThat(unit.getString("product")).isEqualTo(TestVerdicts.PRODUCT);
        assertThat(unit.getString("lot")).isEqualTo("LOT-A");
        assertThat(unit.getList("runs.runId", String.class)).containsExactly(first.getRunId(), retest.getRunId());
        assertThat(unit.getList("runs.outcome", String.class)).containsExactly("FAIL", "PASS");
        assertThat(unit.getList("runs.attempt", Integer.class)).containsExactly(1, 2);
        assertThat(unit.getString("runs[0].runStartTime")).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(unit.getInt("runs[0].limitSetVersion")).isEqualTo(3);
        assertThat(unit.getList("runs[0].failedChecks.channel", Integer.class)).containsExactly(3, 7);
        assertThat(unit.getList("runs[0].failedChecks.value", Double.class)).containsExactly(2.61, 3.05);
        assertThat(unit.getString("runs[0].failedChecks[0].parameter")).isEqualTo("coupling_loss");
        assertThat(unit.getString("runs[0].failedChecks[0].step")).isEqualTo("POST_THERMAL");
        assertThat(unit.getDouble("runs[0].failedChecks[0].upperLimit")).isEqualTo(2.0);
        assertThat(unit.getString("runs[0].failedChecks[0].lowerLimit")).isNull();
        assertThat(unit.getString("runs[0].failedChecks[0].unitOfMeasure")).isEqualTo("dB");
        assertThat(unit.getList("runs[1].failedChecks")).isEmpty();
    }

    @Test
    void aVerdictOfAnAbortedTransactionIsNeverStoredAndTheCommittedOneIs() throws SQLException {
        // given: the judge's transaction with a FAIL verdict of the run aborted, and its retry committed PASS
        String serial = uniqueSerial("SN");
        Verdict aborted = fail(serial, "LOT-A", 1, MONDAY, couplingLoss(4, 2.9));
        Verdict committed = Verdict.newBuilder(pass(serial, "LOT-A", 1, MONDAY)).setEventId(aborted.getEventId())
                .setRunId(aborted.getRunId()).build();

        // when
        producer.sendAborted(aborted);
        producer.send(committed);

        // then: the committed verdict is the one stored, once
        JsonPath unit = awaitRuns(serial, 1);
        assertThat(unit.getList("runs.outcome", String.class)).containsExactly("PASS");
        assertThat(count("SELECT count(*) FROM verdicts WHERE event_id = ?", aborted.getEventId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM verdicts WHERE event_id = ? AND outcome = 'PASS'", aborted.getEventId())).isEqualTo(1);
    }

    @Test
    void redeliveredVerdictIsStoredOnce() throws SQLException {
        // given
        String serial = uniqueSerial("SN");
        Verdict verdict = fail(serial, "LOT-A", 1, MONDAY, couplingLoss(5, 2.4));
        Verdict later = pass(serial, "LOT-A", 2, MONDAY.plusSeconds(600));

        // when: the same event twice, then a later one of the same unit (same key, same partition)
        producer.send(verdict);
        producer.send(verdict);
        producer.send(later);

        // then: once the later one is visible, both copies before it have been consumed
        awaitRuns(serial, 2);
        assertThat(count("SELECT count(*) FROM verdicts WHERE event_id = ?", verdict.getEventId())).isEqualTo(1);
        assertThat(count("""
                SELECT count(*) FROM failed_checks f JOIN verdicts v ON v.id = f.verdict_id
                WHERE v.event_id = ?""", verdict.getEventId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM units WHERE serial = ?", serial)).isEqualTo(1);
    }

    @Test
    void undecodableRecordGoesToTheDeadLetterTopicAndConsumptionContinues() {
        // given
        String serial = uniqueSerial("SN");
        byte[] garbage = "not a verdict".getBytes(StandardCharsets.UTF_8);

        // when
        producer.sendRaw(serial, garbage);
        producer.send(pass(serial, "LOT-A", 1, MONDAY));

        // then
        awaitRuns(serial, 1);
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(serial);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(header(dead, Topics.HEADER_DLQ_REASON)).startsWith("not Avro single-object encoded");
        assertThat(header(dead, Topics.HEADER_DLQ_SOURCE_TOPIC)).isEqualTo(Topics.VERDICTS.name());
        assertThat(header(dead, "dead-letter-reason")).isNotBlank();
    }

    @Test
    void aVerdictWaitsOutADatabaseOutageOnItsTopicAndIsStoredOnceTheDatabaseIsBack() {
        // given PostgreSQL refuses connections and has ended the open ones
        String serial = uniqueSerial("SN");
        Verdict verdict = fail(serial, "LOT-A", 1, MONDAY, couplingLoss(4, 2.3));
        double retriesBefore = metric("cpo_database_retries_total");
        SharedInfrastructure.postgres().beginOutage();
        try {
            // when a verdict arrives
            producer.send(verdict);

            // then the service retries it, says it is not ready, and counts the record waiting
            await().atMost(TIMEOUT).until(() -> metric("cpo_database_retries_total") > retriesBefore);
            await().atMost(TIMEOUT).until(() -> given().get("/q/health/ready").statusCode() == 503);
            assertThat(metric("cpo_database_waiting_records")).isEqualTo(1.0);
        } finally {
            SharedInfrastructure.postgres().endOutage();
        }

        // and once the database is back the verdict is stored, and none of it went to the dead-letter topic
        JsonPath unit = awaitRuns(serial, 1);
        assertThat(unit.getList("runs.runId", String.class)).containsExactly(verdict.getRunId());
        await().atMost(TIMEOUT).until(() -> metric("cpo_database_waiting_records") == 0.0);
        assertThat(deadLettersWithKey(serial)).isEmpty();
        await().atMost(TIMEOUT).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static double metric(String name) {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Every record on the dead-letter topic with this key, up to its end now. */
    private List<ConsumerRecord<String, byte[]>> deadLettersWithKey(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.DEAD_LETTER.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(TIMEOUT).until(() -> {
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

    @Test
    void unitsOfALotAreListedByPageWithTheTotalInAHeader() {
        // given
        String lot = uniqueSerial("LOT");
        List<String> serials = List.of(uniqueSerial("A"), uniqueSerial("B"), uniqueSerial("C"));
        serials.forEach(serial -> producer.send(pass(serial, lot, 1, MONDAY)));
        serials.forEach(serial -> awaitRuns(serial, 1));

        // when
        var firstPage = given().queryParam("lot", lot).queryParam("size", 2).get("/api/units");
        var secondPage = given().queryParam("lot", lot).queryParam("size", 2).queryParam("page", 1).get("/api/units");

        // then
        assertThat(firstPage.header("X-Total-Count")).isEqualTo("3");
        assertThat(firstPage.jsonPath().getList("serial", String.class)).containsExactlyElementsOf(serials.stream().sorted().limit(2).toList());
        assertThat(firstPage.header("Link")).contains("rel=\"next\"");
        assertThat(secondPage.jsonPath().getList("serial", String.class)).containsExactly(serials.stream().sorted().toList().get(2));
        assertThat(secondPage.header("Link")).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
    }

    private JsonPath awaitRuns(String serial, int runs) {
        return await().atMost(TIMEOUT).until(() -> {
            var response = given().get("/api/units/{serial}", serial);
            return response.statusCode() == 200 ? response.jsonPath(DOUBLES) : null;
        }, unit -> unit != null && unit.getList("runs").size() == runs);
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTER.name()));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().filter(r -> key.equals(r.key())).findFirst().orElse(null);
            }, record -> record != null);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
