package com.cpo.schemas;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How the catalogue's topics are laid out on a cluster: the one place partitions, replication factor and
 * {@code min.insync.replicas} come from, for the launcher, the compose file's topic creation and the tests alike.
 * A compacted topic has one partition (its readers want every key in one place); the others {@link #partitions()}.
 *
 * @param partitions partitions of each topic that is not compacted
 * @param replicationFactor copies of every partition; 3 in production, 1 on a single embedded broker
 */
public record TopicLayout(int partitions, short replicationFactor) {

    /** Configuration key (system property; environment {@code CPO_KAFKA_REPLICATION_FACTOR}) of the replication factor. */
    public static final String REPLICATION_FACTOR_KEY = "cpo.kafka.replication-factor";
    /** Configuration key (environment {@code CPO_KAFKA_PARTITIONS}) of the partitions per topic. */
    public static final String PARTITIONS_KEY = "cpo.kafka.partitions";

    /** The embedded single broker of {@code ./run} and of the fast tests. */
    public static final TopicLayout SINGLE_BROKER = new TopicLayout(3, (short) 1);
    /** Three brokers: every partition on all three, writes acknowledged by two. */
    public static final TopicLayout REPLICATED = new TopicLayout(3, (short) 3);

    public TopicLayout {
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions (" + partitions + ") and replication factor (" + replicationFactor + ") must be at least 1");
        }
    }

    /**
     * Writes with {@code acks=all} wait for this many in-sync replicas: two of three, so one broker may be lost
     * without losing an acknowledged record or refusing writes; one below three brokers.
     */
    public int minInsyncReplicas() {
        return replicationFactor >= 3 ? 2 : 1;
    }

    /** The layout configured by {@link #PARTITIONS_KEY} and {@link #REPLICATION_FACTOR_KEY}, else {@link #SINGLE_BROKER}. */
    public static TopicLayout from(Map<String, String> env, Properties system) {
        return new TopicLayout(Integer.parseInt(get(PARTITIONS_KEY, "3", env, system)),
                Short.parseShort(get(REPLICATION_FACTOR_KEY, "1", env, system)));
    }

    private static String get(String key, String fallback, Map<String, String> env, Properties system) {
        String value = system.getProperty(key);
        if (value == null) {
            value = env.get(key.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** Definitions of every topic of the catalogue in this layout. */
    public List<NewTopic> newTopics() {
        return Topics.all().stream().map(t -> {
            NewTopic topic = new NewTopic(t.name(), t.compacted() ? 1 : partitions, replicationFactor);
            Map<String, String> configs = new java.util.HashMap<>();
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas()));
            configs.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
            if (t.compacted()) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            return topic.configs(configs);
        }).toList();
    }
}
