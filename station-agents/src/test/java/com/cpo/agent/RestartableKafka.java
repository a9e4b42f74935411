package com.cpo.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.awaitility.Awaitility;

import com.cpo.testsupport.EmbeddedKafka;
import com.cpo.testsupport.FreePorts;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A single-node KRaft broker like {@link EmbeddedKafka} (same settings, 127.0.0.1, free ports) that can
 * be stopped and started again on the same ports and log folder, as a broker outage is. Kept here until
 * test-support's broker offers {@code stop()} and {@code restart()}.
 */
final class RestartableKafka implements AutoCloseable {

    private final Properties props;
    private final int brokerPort;
    private KafkaRaftServer server;

    private RestartableKafka(Properties props, int brokerPort) {
        this.props = props;
        this.brokerPort = brokerPort;
    }

    static RestartableKafka start(Path parent) {
        try {
            Files.createDirectories(parent);
            Path logDir = Files.createTempDirectory(parent, "kafka-restartable-");
            int brokerPort = FreePorts.find();
            int controllerPort = FreePorts.find();
            Properties props = brokerProperties(logDir, brokerPort, controllerPort);
            Path config = logDir.resolveSibling(logDir.getFileName() + ".properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, "restartable KRaft broker");
            }
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int status = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString(),
                    "--ignore-formatted"}, new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (status != 0) {
                throw new IllegalStateException("kafka-storage format failed: " + captured.toString(StandardCharsets.UTF_8));
            }
            RestartableKafka kafka = new RestartableKafka(props, brokerPort);
            kafka.startServer();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        String host = EmbeddedKafka.HOST;
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
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
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "4");
        return props;
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Admin a = Admin.create(admin)) {
                return !a.describeCluster().nodes().get().isEmpty();
            }
        });
    }

    String bootstrapServers() {
        return EmbeddedKafka.HOST + ":" + brokerPort;
    }

    /** Stops the broker; its ports go quiet, its log stays. */
    synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again on the same ports and log. */
    synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
