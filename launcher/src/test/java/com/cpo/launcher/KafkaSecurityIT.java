package com.cpo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.KafkaSecrets;
import com.cpo.events.LimitSet;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.KafkaClientConfig;
import com.cpo.schemas.TopicLayout;
import com.cpo.schemas.Topics;

/**
 * The embedded broker as {@code ./run} starts it (SASL/SCRAM, the {@code StandardAuthorizer}, deny by default) with the
 * platform's ACLs ({@link KafkaAccess}): who is refused, and for what.
 */
class KafkaSecurityIT {

    private static EmbeddedKafka kafka;
    private static final List<String> STATIONS = List.of("AA-01", "BI-01");

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-security-");
        kafka = EmbeddedKafka.startSecured(work, KafkaSecrets.generate(STATIONS));
        kafka.createTopics(TopicLayout.SINGLE_BROKER.newTopics());
        kafka.createAcls(KafkaAccess.forLine(STATIONS, KafkaAccess.DEFAULT_ANALYTICS_APPLICATION_ID));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anAnonymousClientAndAWrongPasswordAreRefused() {
        Properties anonymous = new Properties();
        anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(anonymous)) {
            // a plaintext client on a SASL listener never gets an answer
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        Properties wrong = KafkaClientConfig.scram(KafkaAccess.station("AA-01"), "not-the-password", false);
        wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        wrong.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS)).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aStationWritesStationEventsAndReadsVerdictsOnly() throws Exception {
        String station = KafkaAccess.station("AA-01");
        assertThat(send(station, Topics.STATION_EVENTS.name())).isNull();
        assertThat(send(station, Topics.VERDICTS.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(send(station, Topics.LIMITS.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(send(station, Topics.YIELD.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(read(station, Topics.VERDICTS.name())).isNull();
        assertThat(read(station, Topics.LIMITS.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(read(station, Topics.STATION_EVENTS.name())).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void onlyTheServiceWritesLimitsAndOnlyTheAnalyticsAppWritesVerdicts() throws Exception {
        assertThat(send(KafkaAccess.SERVICE, Topics.LIMITS.name())).isNull();
        assertThat(send(KafkaAccess.ANALYTICS, Topics.LIMITS.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(send(KafkaAccess.ANALYTICS, Topics.VERDICTS.name())).isNull();
        assertThat(send(KafkaAccess.SERVICE, Topics.VERDICTS.name())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(read(KafkaAccess.ANALYTICS, Topics.LIMITS.name())).isNull();
        assertThat(read(KafkaAccess.SERVICE, Topics.VERDICTS.name())).isNull();
    }

    @Test
    void aForgedLimitSetFromAStationNeverReachesTheLimitsTopic() throws Exception {
        LimitSet loose = LocalPlatform.seedLimitSets().get(1);
        LimitSet forged = LimitSet.newBuilder(loose).setVersion(99).setReleasedBy("forger").setEffectiveFrom(Instant.now())
                .setLimits(List.of(com.cpo.events.Limit.newBuilder(loose.getLimits().get(0)).setUpperLimit(100.0).build())).build();
        Properties props = kafka.clientProperties(KafkaAccess.station("AA-01"));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, LimitSet> producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<>())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.LIMITS.name(), forged.getLimitSetId() + "@99", forged))
                    .get(15, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // what the analytics app would read: no version 99 (the judge never sees it)
        List<String> keys = new ArrayList<>();
        Properties admin = kafka.clientProperties(EmbeddedKafka.ADMIN);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(admin, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.LIMITS.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
            }
        }
        assertThat(keys).noneMatch(k -> k.endsWith("@99"));
    }

    /** Sends one record as {@code user}; the failure, or null when the broker took it. */
    private static Throwable send(String user, String topic) throws InterruptedException {
        Properties props = kafka.clientProperties(user);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            // keyed: compacted topics take no record without a key
            producer.send(new ProducerRecord<>(topic, new byte[] {'k'}, new byte[] {1})).get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        } catch (org.apache.kafka.common.KafkaException e) {
            return e;
        }
    }

    /** Reads a topic's first partition as {@code user} without a group (as the agent and the dashboard feed do). */
    private static Throwable read(String user, String topic) {
        Properties props = kafka.clientProperties(user);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ofSeconds(2));
            consumer.position(partition);
            return null;
        } catch (org.apache.kafka.common.KafkaException e) {
            return e;
        }
    }
}
