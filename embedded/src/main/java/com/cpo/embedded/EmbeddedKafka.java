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
    /** SCRAM users and their passwords; empty for a broker without security. */
    private final Map<String, String> users;
    private KafkaRaftServer server;
    private volatile boolean closed;

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, Properties props, Map<String, String> users) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.props = props;
        this.users = Map.copyOf(users);
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
        return start(parent, overrides, Map.of());
    }

    /**
     * Starts a secured broker: clients authenticate with SCRAM-SHA-512 over SASL on loopback, the controller listener
     * with PLAIN; the {@code StandardAuthorizer} denies whatever no ACL allows ({@code allow.everyone.if.no.acl.found=false});
     * {@link #ADMIN} is the only super user (the broker itself connects as it). The users exist from the first start: their
     * credentials are written into the metadata log when the storage is formatted.
     *
     * @param users user name to password; must hold {@link #ADMIN}
     */
    public static EmbeddedKafka startSecured(Path parent, Map<String, String> users) {
        if (!users.containsKey(ADMIN)) {
            throw new IllegalArgumentException("a secured broker needs the " + ADMIN + " user");
        }
        return start(parent, Map.of(), users);
    }

    private static EmbeddedKafka start(Path parent, Map<String, String> overrides, Map<String, String> users) {
        try {
            Files.createDirectories(parent);
            Path logDir = Files.createTempDirectory(parent, "kafka-");
            int brokerPort = FreePorts.find();
            int controllerPort = FreePorts.find();
            Properties props = users.isEmpty() ? brokerProperties(logDir, brokerPort, controllerPort)
                    : securedBrokerProperties(logDir, brokerPort, controllerPort, users.get(ADMIN));
            overrides.forEach(props::setProperty);
            format(logDir, props, users);
            long started = System.nanoTime();
            EmbeddedKafka kafka = new EmbeddedKafka(logDir, brokerPort, controllerPort, props, users);
            kafka.startServer();
            LOG.info("Kafka broker up on {} in {} ms ({}; log {})", kafka.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000, users.isEmpty() ? "no security" : "SASL/SCRAM, ACLs, " + users.size() + " users", logDir);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    /** The super user of a secured broker. */
    public static final String ADMIN = "admin";

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

    static Properties securedBrokerProperties(Path logDir, int brokerPort, int controllerPort, String adminPassword) {
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        props.setProperty("listeners", "CLIENT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", "CLIENT://" + HOST + ":" + brokerPort);
        secure(props, adminPassword, java.util.List.of("CLIENT"));
        return props;
    }

    /**
     * The security of a node, one definition for the embedded broker and the containers' {@link KafkaNode}: clients
     * authenticate with SCRAM-SHA-512 over SASL on each of {@code clientListeners} (the first one is the inter-broker
     * listener), the controller listener with PLAIN; the {@code StandardAuthorizer} denies whatever no ACL allows;
     * {@link #ADMIN} is the only super user (the node itself connects as it).
     */
    static void secure(Properties props, String adminPassword, java.util.List<String> clientListeners) {
        String scramLogin = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + ADMIN + "\" password=\""
                + adminPassword + "\";";
        StringBuilder map = new StringBuilder("CONTROLLER:SASL_PLAINTEXT");
        for (String listener : clientListeners) {
            map.append(',').append(listener).append(":SASL_PLAINTEXT");
            String name = listener.toLowerCase(java.util.Locale.ROOT);
            props.setProperty("listener.name." + name + ".sasl.enabled.mechanisms", "SCRAM-SHA-512");
            props.setProperty("listener.name." + name + ".scram-sha-512.sasl.jaas.config", scramLogin);
        }
        props.setProperty("inter.broker.listener.name", clientListeners.get(0));
        props.setProperty("listener.security.protocol.map", map.toString());
        props.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.setProperty("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        // SCRAM is not supported between controllers (KAFKA-15513): PLAIN with the broker's one user on the controller listener
        props.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        props.setProperty("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\"" + adminPassword
                        + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        props.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.setProperty("allow.everyone.if.no.acl.found", "false");
        props.setProperty("super.users", "User:" + ADMIN);
    }

    private static void format(Path logDir, Properties props, Map<String, String> users) throws IOException {
        format(logDir, props, users, Uuid.randomUuid().toString());
    }

    /** Formats the storage of {@code props} (idempotent: a formatted log is kept), with SCRAM credentials of {@code users}. */
    static void format(Path logDir, Properties props, Map<String, String> users, String clusterId) throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + ".properties");
        Files.deleteIfExists(config);
        Files.createFile(config, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "embedded KRaft broker");
        }
        List<String> args = new ArrayList<>(List.of("format", "--cluster-id", clusterId,
                "--config", config.toString(), "--ignore-formatted"));
        users.forEach((user, password) -> {
            if (password.contains(",") || password.contains("]")) {
                throw new IllegalArgumentException("a SCRAM password for the format tool must not contain ',' or ']'");
            }
            args.add("--add-scram");
            args.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
        });
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = StorageTool.execute(args.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8));
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

    /** Whether clients must authenticate and be allowed by ACLs. */
    public boolean secured() {
        return !users.isEmpty();
    }

    /**
     * Client settings (bootstrap servers, and for a secured broker the SCRAM login of {@code user}) to start a producer,
     * consumer or admin client with.
     */
    public Properties clientProperties(String user) {
        Properties props = new Properties();
        if (secured()) {
            String password = users.get(user);
            if (password == null) {
                throw new IllegalArgumentException("no Kafka user " + user + " on this broker; users: " + users.keySet());
            }
            props.putAll(com.cpo.schemas.KafkaClientConfig.scram(user, password, false));
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Grants these ACLs (as the admin) and returns once the broker enforces them. */
    public void createAcls(Collection<org.apache.kafka.common.acl.AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get().size() < acls.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not show the " + acls.size() + " ACLs within 30 s");
                }
                sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create ACLs: " + e.getCause(), e);
        }
    }

    /** An admin client on this broker (as the super user of a secured one); close it. */
    public Admin admin() {
        Properties props = clientProperties(secured() ? ADMIN : null);
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
