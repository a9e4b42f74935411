package com.cpo.embedded;

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
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), started in this
 * JVM from Kafka's own artifacts: the storage is formatted with {@code kafka-storage format} and a
 * {@link KafkaRaftServer} runs on it. Every listener is bound to 127.0.0.1 on a free port; Kafka's
 * Kafka's own cluster test kit is avoided because it binds all interfaces.
 *
 * <p>Configured for one node: replication factor 1 for internal topics, so transactions and
 * exactly-once processing work. {@link #stop()} and {@link #restart()} play a broker outage: the ports go
 * quiet and come back, the log stays.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    public static final String HOST = "127.0.0.1";

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Properties props;
    private KafkaRaftServer server;
    private volatile boolean closed;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, Properties props) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.props = props;
    }

    /** Starts a broker with its log in a new folder under {@code parent}, on free ports. */
    public static EmbeddedKafka start(Path parent) {
        return start(parent, Map.of());
    }

    /**
     * Starts a broker with its log in a new folder under {@code parent}, on free ports, with extra broker
     * properties (they win over the defaults).
     */
    public static EmbeddedKafka start(Path parent, Map<String, String> overrides) {
        try {
            Files.createDirectories(parent);
            Path logDir = Files.createTempDirectory(parent, "kafka-");
            int brokerPort = FreePorts.find();
            int controllerPort = FreePorts.find();
            Properties props = brokerProperties(logDir, brokerPort, controllerPort);
            overrides.forEach(props::setProperty);
            format(logDir, props);
            long started = System.nanoTime();
            EmbeddedKafka kafka = new EmbeddedKafka(logDir, brokerPort, controllerPort, props);
            kafka.startServer();
            LOG.info("Kafka broker up on {} in {} ms (log {})", kafka.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000, logDir);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toString());
        props.setProperty("num.partitions", "3");
        props.setProperty("default.replication.factor", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "5");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("auto.create.topics.enable", "true");
        props.setProperty("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "4");
        return props;
    }

    private static void format(Path logDir, Properties props) throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "embedded KRaft broker");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString(), "--ignore-formatted"}, new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + status + "): " + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
    }

    /** Stops the broker as an outage would: clients lose it, its log stays for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Kafka broker on {} stopped (log kept for a restart)", bootstrapServers());
        }
    }

    /** Starts a stopped broker again, on the same ports with the same log. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker was closed; it cannot restart");
        }
        if (server == null) {
            startServer();
            LOG.info("Kafka broker on {} restarted", bootstrapServers());
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get().isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            } catch (ExecutionException | RuntimeException e) {
                last = new IllegalStateException(e.getMessage(), e);
            }
            sleep(200);
        }
        throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " not ready within " + timeout, last);
    }

    /** host:port to give clients as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** An admin client on this broker; close it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(props);
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            createMissing(admin, topics);
        }
    }

    /** Creates, on any cluster, the topics that do not exist yet; existing ones are left as they are. */
    public static void createMissing(Admin admin, Collection<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
            LOG.debug("topics created: {}", missing.stream().map(NewTopic::name).collect(Collectors.joining(", ")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
