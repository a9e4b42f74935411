package com.cpo.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * One node of a KRaft cluster in a container ({@code docker/images/kafka.Dockerfile}): formats its storage on the first
 * start (SCRAM users written into the metadata then), and runs until stopped. Configured from the environment:
 * <ul>
 * <li>{@code CPO_KAFKA_NODE_ID} (1, 2, 3…), {@code CPO_KAFKA_VOTERS} ({@code 1@kafka-1:9093,2@kafka-2:9093,…}; its
 *     count is the cluster's size), {@code CPO_KAFKA_CLUSTER_ID} (the same on every node: {@code kafka-storage random-uuid});</li>
 * <li>{@code CPO_KAFKA_HOST}: the name other containers reach this node by (default: the host name);</li>
 * <li>{@code CPO_KAFKA_EXTERNAL}: optional {@code host:port} advertised on a third listener (container port 9094), for
 *     clients outside the container network;</li>
 * <li>{@code CPO_KAFKA_USERS_FILE}: optional properties file {@code user=password} (it must hold {@code admin}); given, every
 *     client listener takes SASL/SCRAM-SHA-512 and the ACLs decide ({@link EmbeddedKafka#secure}); absent, plain text;</li>
 * <li>{@code CPO_KAFKA_DATA}: the log folder (default {@code /var/lib/kafka/data}, on a volume).</li>
 * </ul>
 * Clients connect on 9092, controllers on 9093.
 */
public final class KafkaNode {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);
    static final int CLIENT_PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final int EXTERNAL_PORT = 9094;

    private KafkaNode() {
    }

    /** The node's properties from the environment, and its SCRAM users (empty: no security). */
    static Properties properties(Map<String, String> env, Map<String, String> users) {
        String voters = required(env, "CPO_KAFKA_VOTERS");
        int size = voters.split(",").length;
        String host = env.getOrDefault("CPO_KAFKA_HOST", hostName());
        Properties props = KafkaNodeConfig.replicated(size, env.getOrDefault("CPO_KAFKA_DATA", "/var/lib/kafka/data"));
        props.setProperty("node.id", Integer.toString(Integer.parseInt(required(env, "CPO_KAFKA_NODE_ID"))));
        props.setProperty("controller.quorum.voters", voters);
        String external = env.get("CPO_KAFKA_EXTERNAL");
        List<String> clientListeners = new ArrayList<>(List.of("CLIENT"));
        String listeners = "CLIENT://0.0.0.0:" + CLIENT_PORT + ",CONTROLLER://0.0.0.0:" + CONTROLLER_PORT;
        String advertised = "CLIENT://" + host + ":" + CLIENT_PORT;
        if (external != null && !external.isBlank()) {
            clientListeners.add("EXTERNAL");
            listeners += ",EXTERNAL://0.0.0.0:" + EXTERNAL_PORT;
            advertised += ",EXTERNAL://" + external.trim();
        }
        props.setProperty("listeners", listeners);
        props.setProperty("advertised.listeners", advertised);
        if (users.isEmpty()) {
            props.setProperty("inter.broker.listener.name", "CLIENT");
            StringBuilder map = new StringBuilder("CONTROLLER:PLAINTEXT");
            clientListeners.forEach(l -> map.append(',').append(l).append(":PLAINTEXT"));
            props.setProperty("listener.security.protocol.map", map.toString());
        } else {
            if (!users.containsKey(EmbeddedKafka.ADMIN)) {
                throw new IllegalArgumentException("CPO_KAFKA_USERS_FILE must hold the " + EmbeddedKafka.ADMIN + " user");
            }
            EmbeddedKafka.secure(props, users.get(EmbeddedKafka.ADMIN), clientListeners);
        }
        return props;
    }

    static Map<String, String> users(Map<String, String> env) throws IOException {
        String file = env.get("CPO_KAFKA_USERS_FILE");
        Map<String, String> users = new LinkedHashMap<>();
        if (file == null || file.isBlank()) {
            return users;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            p.load(in);
        }
        p.stringPropertyNames().stream().sorted().forEach(u -> users.put(u, p.getProperty(u)));
        return users;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set (see com.cpo.embedded.KafkaNode)");
        }
        return v.trim();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("no host name: set CPO_KAFKA_HOST", e);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Map<String, String> users = users(env);
        Properties props = properties(env, users);
        Path logDir = Path.of(props.getProperty("log.dirs"));
        Files.createDirectories(logDir);
        EmbeddedKafka.format(logDir, props, users, required(env, "CPO_KAFKA_CLUSTER_ID"));
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "stop-kafka"));
        server.startup();
        LOG.info("Kafka node {} up: {} ({})", props.getProperty("node.id"), props.getProperty("advertised.listeners"),
                users.isEmpty() ? "no security" : "SASL/SCRAM, ACLs, " + users.size() + " users");
        server.awaitShutdown();
    }
}
