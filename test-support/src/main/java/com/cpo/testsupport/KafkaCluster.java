package com.cpo.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.embedded.ChildJvm;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.FreePorts;

import kafka.tools.StorageTool;

/**
 * A real three-node Apache Kafka cluster in KRaft mode for fault tests: each node (broker and controller in one)
 * is its own JVM ({@code kafka.Kafka}) on 127.0.0.1, so a node can be SIGKILLed and started again on the same ports
 * and log. Laid out as production: replication factor 3, {@code min.insync.replicas} 2, unclean leader election
 * off, and the consumer-offsets and transaction-state logs replicated the same way.
 *
 * <p>The single in-process {@link EmbeddedKafka} stays for fast tests.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
    public static final String HOST = EmbeddedKafka.HOST;

    /** One node: its id (1-based), ports, config file, log folder and process (null while down). */
    private static final class Node {
        final int id;
        final int brokerPort;
        final int controllerPort;
        final Path config;
        final Path logDir;
        final Path output;
        ChildJvm process;

        Node(int id, int brokerPort, int controllerPort, Path config, Path logDir, Path output) {
            this.id = id;
            this.brokerPort = brokerPort;
            this.controllerPort = controllerPort;
            this.config = config;
            this.logDir = logDir;
            this.output = output;
        }
    }

    private final List<Node> nodes;
    private final String jvmHeap;

    private KafkaCluster(List<Node> nodes, String jvmHeap) {
        this.nodes = nodes;
        this.jvmHeap = jvmHeap;
    }

    /** Starts three nodes with their logs in a new folder under {@code parent}, and waits until all three serve. */
    public static KafkaCluster start(Path parent) {
        return start(parent, 3, "-Xmx384m");
    }

    /**
     * Starts {@code size} nodes (3 for the production shape) and waits until all serve.
     *
     * @param jvmHeap heap option of each node's JVM, e.g. -Xmx384m
     */
    public static KafkaCluster start(Path parent, int size, String jvmHeap) {
        try {
            Files.createDirectories(parent);
            Path root = Files.createTempDirectory(parent, "kafka-cluster-");
            List<Node> nodes = new ArrayList<>();
            for (int id = 1; id <= size; id++) {
                nodes.add(new Node(id, FreePorts.find(), FreePorts.find(), root.resolve("node-" + id + ".properties"),
                        root.resolve("node-" + id), root.resolve("node-" + id + ".log")));
            }
            String voters = nodes.stream().map(n -> n.id + "@" + HOST + ":" + n.controllerPort).collect(Collectors.joining(","));
            String clusterId = Uuid.randomUuid().toString();
            for (Node n : nodes) {
                Properties props = nodeProperties(n, voters, size);
                try (var out = Files.newOutputStream(n.config)) {
                    props.store(out, "KafkaCluster node " + n.id);
                }
                format(n.config, clusterId);
            }
            KafkaCluster cluster = new KafkaCluster(nodes, jvmHeap);
            long started = System.nanoTime();
            nodes.forEach(cluster::launch);
            cluster.awaitBrokers(size, Duration.ofSeconds(120));
            LOG.info("Kafka cluster of {} nodes up on {} in {} ms (logs under {})", size, cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000, root);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka cluster", e);
        }
    }

    static Properties nodeProperties(Node n, String voters, int size) {
        Properties props = com.cpo.embedded.KafkaNodeConfig.replicated(size, n.logDir.toString());
        props.setProperty("node.id", Integer.toString(n.id));
        props.setProperty("controller.quorum.voters", voters);
        props.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + n.brokerPort + ",CONTROLLER://" + HOST + ":" + n.controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + n.brokerPort);
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return props;
    }

    private static void format(Path config, String clusterId) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"},
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("kafka-storage format of " + config + " failed (" + status + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private void launch(Node n) {
        n.process = ChildJvm.start("kafka-" + n.id, List.of(jvmHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("-cp", System.getProperty("java.class.path"), "kafka.Kafka", n.config.toString()), n.output);
    }

    /** host:port of every node, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> HOST + ":" + n.brokerPort).collect(Collectors.joining(","));
    }

    /** Number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** Node ids, 1-based. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }

    /** Whether the node's process runs. */
    public boolean isRunning(int nodeId) {
        ChildJvm p = node(nodeId).process;
        return p != null && p.isAlive();
    }

    /** Pid of the node's process, or -1 while it is down. */
    public long pid(int nodeId) {
        ChildJvm p = node(nodeId).process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    /**
     * Kills the node with SIGKILL (no controlled shutdown, nothing flushed) and returns the exit code the process
     * ended with: 137 proves it was killed.
     */
    public synchronized int kill(int nodeId) {
        Node n = node(nodeId);
        if (n.process == null || !n.process.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
        int exit = n.process.kill();
        n.process = null;
        LOG.info("Kafka node {} killed (exit {})", nodeId, exit);
        return exit;
    }

    /** Starts a killed node again, on the same ports with the same log, and waits until it is back in the cluster. */
    public synchronized void restart(int nodeId) {
        Node n = node(nodeId);
        if (n.process != null && n.process.isAlive()) {
            throw new IllegalStateException("node " + nodeId + " is running");
        }
        launch(n);
        LOG.info("Kafka node {} restarting", nodeId);
    }

    /** Waits until every running node is registered as a broker (after a restart). */
    public void awaitAllRunningBrokers(Duration timeout) {
        awaitBrokers((int) nodes.stream().filter(n -> n.process != null && n.process.isAlive()).count(), timeout);
    }

    /** The node leading a partition now, or -1 when it has none (all its replicas away). */
    public int leaderOf(String topic, int partition) {
        TopicDescription d = describe(List.of(topic)).get(topic);
        for (TopicPartitionInfo p : d.partitions()) {
            if (p.partition() == partition) {
                return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
            }
        }
        throw new IllegalArgumentException(topic + " has no partition " + partition);
    }

    /** Topic descriptions as the cluster sees them now. */
    public Map<String, TopicDescription> describe(Collection<String> topics) {
        try (Admin admin = admin()) {
            return admin.describeTopics(topics).allTopicNames().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics + ": " + e.getCause(), e);
        }
    }

    /** An admin client on the cluster; close it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            EmbeddedKafka.createMissing(admin, topics);
        }
    }

    private void awaitBrokers(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (Node n : nodes) {
                if (n.process != null && !n.process.isAlive()) {
                    throw new IllegalStateException("Kafka node " + n.id + " exited (" + n.process.exitValue() + "); see " + n.output);
                }
            }
            try (Admin admin = admin()) {
                int registered = admin.describeCluster().nodes().get().size();
                if (registered >= expected) {
                    return;
                }
                last = registered + " of " + expected + " brokers registered";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | RuntimeException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Kafka cluster on " + bootstrapServers() + " not ready within " + timeout + ": " + last);
    }

    private Node node(int nodeId) {
        return nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " (nodes " + nodeIds() + ")"));
    }

    /** Stops every node (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() {
        nodes.parallelStream().forEach(n -> {
            if (n.process != null) {
                n.process.close();
                n.process = null;
            }
        });
        LOG.info("Kafka cluster on {} stopped", bootstrapServers());
    }
}
