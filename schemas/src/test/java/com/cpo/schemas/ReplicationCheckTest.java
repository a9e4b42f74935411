package com.cpo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ReplicationCheckTest {

    private static final Node A = new Node(1, "127.0.0.1", 1);
    private static final Node B = new Node(2, "127.0.0.1", 2);
    private static final Node C = new Node(3, "127.0.0.1", 3);

    private static TopicDescription topic(String name, TopicPartitionInfo... partitions) {
        return new TopicDescription(name, false, List.of(partitions), java.util.Set.of(), Uuid.randomUuid());
    }

    @Test
    void aPartitionWithAReplicaOutOfSyncOrTooFewReplicasIsNamed() {
        Map<String, TopicDescription> topics = Map.of(
                "healthy", topic("healthy", new TopicPartitionInfo(0, A, List.of(A, B, C), List.of(A, B, C))),
                "lagging", topic("lagging", new TopicPartitionInfo(0, A, List.of(A, B, C), List.of(A, B, C)),
                        new TopicPartitionInfo(1, B, List.of(A, B, C), List.of(B))),
                "single", topic("single", new TopicPartitionInfo(0, A, List.of(A), List.of(A))));

        assertThat(ReplicationCheck.problems(topics, TopicLayout.REPLICATED)).containsExactlyInAnyOrder(
                "lagging-1 has 1 of 3 replicas in sync",
                "single-0 has 1 replica(s); the layout asks for 3");
        assertThat(ReplicationCheck.problems(Map.of("single", topics.get("single")), TopicLayout.SINGLE_BROKER)).isEmpty();
    }

    @Test
    void theLayoutComesFromOneSettingAndSetsMinInsyncReplicas() {
        java.util.Properties system = new java.util.Properties();
        system.setProperty(TopicLayout.REPLICATION_FACTOR_KEY, "3");
        TopicLayout layout = TopicLayout.from(Map.of(), system);
        assertThat(layout).isEqualTo(TopicLayout.REPLICATED);
        assertThat(TopicLayout.from(Map.of("CPO_KAFKA_REPLICATION_FACTOR", "3"), new java.util.Properties())).isEqualTo(TopicLayout.REPLICATED);
        assertThat(TopicLayout.from(Map.of(), new java.util.Properties())).isEqualTo(TopicLayout.SINGLE_BROKER);
        assertThat(layout.newTopics()).allSatisfy(t -> {
            assertThat(t.replicationFactor()).isEqualTo((short) 3);
            assertThat(t.configs()).containsEntry("min.insync.replicas", "2").containsEntry("unclean.leader.election.enable", "false");
        });
        assertThat(layout.newTopics()).hasSize(Topics.all().size());
    }
}
