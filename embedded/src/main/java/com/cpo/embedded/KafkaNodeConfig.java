package com.cpo.embedded;

import java.util.Properties;

/**
 * The settings of one node of a replicated KRaft cluster (combined broker and controller), in one place for every
 * cluster the project runs: the test kit's {@code KafkaCluster} (one JVM per node) and the containers' {@link KafkaNode}.
 * Three nodes or more: replication 3 and {@code min.insync.replicas} 2 for every topic and the internal ones, unclean
 * leader election off (a lagging replica never becomes leader: an acknowledged record is never lost); fewer: 1 and 1.
 */
public final class KafkaNodeConfig {

    private KafkaNodeConfig() {
    }

    /** Replication factor of a cluster of {@code size} nodes. */
    public static int replication(int size) {
        return Math.min(3, size);
    }

    /** {@code min.insync.replicas} of a cluster of {@code size} nodes. */
    public static int minInsyncReplicas(int size) {
        return replication(size) >= 3 ? 2 : 1;
    }

    /**
     * The replication and failure-detection settings of a node (listeners, node id and voters are the caller's).
     *
     * @param size nodes in the cluster
     */
    public static Properties replicated(int size, String logDirs) {
        int replication = replication(size);
        int minIsr = minInsyncReplicas(size);
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("log.dirs", logDirs);
        props.setProperty("num.partitions", "3");
        props.setProperty("default.replication.factor", Integer.toString(replication));
        props.setProperty("min.insync.replicas", Integer.toString(minIsr));
        props.setProperty("unclean.leader.election.enable", "false");
        props.setProperty("offsets.topic.replication.factor", Integer.toString(replication));
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.replication.factor", Integer.toString(replication));
        props.setProperty("transaction.state.log.min.isr", Integer.toString(minIsr));
        props.setProperty("transaction.state.log.num.partitions", "5");
        props.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        props.setProperty("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "2");
        props.setProperty("num.replica.fetchers", "1");
        props.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        // a dead node is fenced within 6 s, a replica that stops fetching leaves the ISR within 10 s
        props.setProperty("broker.session.timeout.ms", "6000");
        props.setProperty("broker.heartbeat.interval.ms", "1000");
        props.setProperty("replica.lag.time.max.ms", "10000");
        return props;
    }
}
