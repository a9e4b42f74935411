package com.cpo.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The three-node cluster the fault runs use: replicated, and a node really dies and comes back. */
class KafkaClusterIT {

    @Test
    void aRecordAcknowledgedByTheClusterSurvivesItsLeaderBeingKilled() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(Path.of("target").toAbsolutePath())) {
            // given a topic on all three nodes and a record acknowledged by all in-sync replicas
            cluster.createTopics(List.of(new NewTopic("replicated", 1, (short) 3)));
            var partition = cluster.describe(List.of("replicated")).get("replicated").partitions().get(0);
            assertThat(partition.replicas()).hasSize(3);
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("replicated", "k", "before")).get();

                // when its leader is killed
                int leader = cluster.leaderOf("replicated", 0);
                long pid = cluster.pid(leader);
                assertThat(cluster.kill(leader)).isEqualTo(137);
                assertThat(ProcessHandle.of(pid)).isEmpty();

                // then another node leads, writes go on with two of three in sync, and nothing acknowledged is lost
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    int now = cluster.leaderOf("replicated", 0);
                    return now != -1 && now != leader;
                });
                producer.send(new ProducerRecord<>("replicated", "k", "after")).get();
                assertThat(read(cluster, "replicated")).containsExactly("before", "after");

                // and the killed node comes back on its ports and log, and catches up
                cluster.restart(leader);
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        cluster.describe(List.of("replicated")).get("replicated").partitions().get(0).isr().size() == 3);
                assertThat(cluster.isRunning(leader)).isTrue();
            }
        }
    }

    private static List<String> read(KafkaCluster cluster, String topic) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
