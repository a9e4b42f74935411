package com.cpo.systemtest.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import com.cpo.embedded.FreePorts;
import com.cpo.embedded.KafkaSecrets;
import com.cpo.launcher.ServiceSession;
import com.cpo.schemas.KafkaClientConfig;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

/**
 * The platform in its production shape as containers, started by Testcontainers from the images of
 * {@code docker/images/build} on a network of its own, with the settings of {@code docker/compose.yaml}: three KRaft
 * brokers with SASL/SCRAM and ACLs (replication 3, {@code min.insync.replicas} 2), PostgreSQL, two analytics instances
 * (queries answered for every key), two service instances behind the HAProxy of {@code docker/haproxy.cfg}, and one
 * station agent per station whose tester folder is a folder of this machine (the test writes the simulated tester's
 * files there). Each broker also listens on a port of 127.0.0.1, so the ledger reads the topics from outside.
 *
 * <p>Faults act on the real containers: {@link #kill} ({@code docker kill}, SIGKILL; the exit code 137 proves it),
 * {@link #disconnect} and {@link #reconnect} (the container cut off from the network and back, with its name).
 * Nothing is pulled: every image must exist here.
 */
public final class ContainerLine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLine.class);
    public static final List<String> IMAGES = List.of("cpo/kafka", "cpo/postgres", "cpo/analytics", "cpo/platform-service", "cpo/proxy",
            "cpo/station");
    private static final String SECRETS = "/run/cpo-secrets/";
    private static final String CLUSTER_ID = "6jvW0DbhQWS3gSo0D2b8Ig";
    static final String BROKERS = "kafka-1:9092,kafka-2:9092,kafka-3:9092";

    private final Network network = Network.newNetwork();
    private final Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();
    private final Map<String, Integer> externalPorts = new LinkedHashMap<>();
    private final Map<String, String> passwords;
    private final Path work;
    private final Properties serviceSecrets = new Properties();
    private String adminPassword;

    private ContainerLine(Path work, Map<String, String> passwords) {
        this.work = work;
        this.passwords = passwords;
    }

    /** Whether a Docker engine answers here; the reason in one line when not. */
    public static String engineMissing() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker engine answers (docker/images/build starts one)";
        } catch (RuntimeException e) {
            return "no Docker engine: " + e.getMessage();
        }
    }

    /** The images this line needs that are not built here, named; empty when all exist. */
    public static List<String> missingImages() {
        DockerClient docker = DockerClientFactory.instance().client();
        List<String> missing = new ArrayList<>();
        for (String image : IMAGES) {
            try {
                docker.inspectImageCmd(image + ":latest").exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                missing.add(image);
            }
        }
        return missing;
    }

    /**
     * Starts the line: brokers, PostgreSQL, the analytics instances, the service instances and the proxy, then one agent per
     * station (its tester folder is {@link #stationInput}).
     */
    public static ContainerLine start(Path projectRoot, Path work, List<String> stations) {
        Map<String, String> passwords = KafkaSecrets.generate(stations);
        ContainerLine line = new ContainerLine(work, passwords);
        try {
            line.startAll(projectRoot, stations);
            return line;
        } catch (RuntimeException e) {
            line.close();
            throw e;
        }
    }

    private void startAll(Path projectRoot, List<String> stations) {
        long started = System.nanoTime();
        Properties users = new Properties();
        users.putAll(passwords);
        List<GenericContainer<?>> brokers = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            int external = FreePorts.find();
            String name = "kafka-" + id;
            externalPorts.put(name, external);
            GenericContainer<?> kafka = container(name, "cpo/kafka")
                    .withEnv("CPO_KAFKA_NODE_ID", Integer.toString(id))
                    .withEnv("CPO_KAFKA_CLUSTER_ID", CLUSTER_ID)
                    .withEnv("CPO_KAFKA_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .withEnv("CPO_KAFKA_HOST", name)
                    .withEnv("CPO_KAFKA_EXTERNAL", "127.0.0.1:" + external)
                    .withEnv("CPO_KAFKA_USERS_FILE", SECRETS + "kafka-users.properties")
                    .withEnv("JAVA_TOOL_OPTIONS", "-Xmx384m")
                    .withCopyToContainer(Transferable.of(store(users), 0644), SECRETS + "kafka-users.properties")
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                            new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", external), ExposedPort.tcp(9094))))
                    .waitingFor(Wait.forLogMessage(".*Kafka node " + id + " up.*", 1).withStartupTimeout(Duration.ofMinutes(4)));
            brokers.add(kafka);
        }
        // a node's start-up waits for a quorum of controllers: the three start together
        Startables.deepStart(brokers).join();
        LOG.info("brokers up on {} in {} s", bootstrapServers(), seconds(started));
        run("kafka-init", "cpo/kafka", List.of("com.cpo.schemas.CreateTopics"), Map.of("CPO_KAFKA_BOOTSTRAP_SERVERS", BROKERS,
                "CPO_KAFKA_REPLICATION_FACTOR", "3", "CPO_KAFKA_CLIENT_CONFIG", SECRETS + "kafka-admin.properties",
                "CPO_KAFKA_STATIONS", String.join(",", stations)), "kafka-admin.properties");
        run("limits-init", "cpo/kafka", List.of("com.cpo.schemas.ExampleLimitSets"), Map.of("CPO_KAFKA_BOOTSTRAP_SERVERS", BROKERS,
                "CPO_KAFKA_CLIENT_CONFIG", SECRETS + "kafka-platform-service.properties"), "kafka-platform-service.properties");

        String databasePassword = KafkaSecrets.password();
        serviceSecrets.setProperty("quarkus.datasource.password", databasePassword);
        serviceSecrets.setProperty("quarkus.http.auth.session.encryption-key", KafkaSecrets.password() + KafkaSecrets.password());
        GenericContainer<?> postgres = container("postgres", "cpo/postgres")
                .withEnv("POSTGRES_DB", "cpo").withEnv("POSTGRES_USER", "cpo").withEnv("POSTGRES_PASSWORD_FILE", SECRETS + "postgres-password")
                .withCopyToContainer(Transferable.of(databasePassword, 0644), SECRETS + "postgres-password")
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        GenericContainer<?> analytics1 = analytics(1);
        GenericContainer<?> analytics2 = analytics(2);
        Startables.deepStart(postgres, analytics1, analytics2).join();
        LOG.info("PostgreSQL and two analytics instances up ({} s)", seconds(started));
        GenericContainer<?> service1 = service(1);
        service1.start();
        adminPassword = service1.copyFileFromContainer("/var/lib/cpo/admin/platform-admin-password",
                in -> new String(in.readAllBytes(), StandardCharsets.UTF_8)).trim();
        GenericContainer<?> service2 = service(2);
        GenericContainer<?> proxy = container("proxy", "cpo/proxy")
                .withCopyToContainer(Transferable.of(readString(projectRoot.resolve("docker/haproxy.cfg")), 0644), "/etc/haproxy/haproxy.cfg")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/q/health/ready").forPort(8080).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
        Startables.deepStart(service2, proxy).join();
        LOG.info("two service instances behind the proxy on {} ({} s)", serviceUrl(), seconds(started));
        for (String station : stations) {
            agent(station).start();
        }
        LOG.info("line up in {} s: {}", seconds(started), containers.keySet());
    }

    private GenericContainer<?> analytics(int n) {
        return container("analytics-" + n, "cpo/analytics")
                .withEnv("CPO_KAFKA_BOOTSTRAP_SERVERS", BROKERS)
                .withEnv("CPO_KAFKA_REPLICATION_FACTOR", "3")
                .withEnv("CPO_KAFKA_CLIENT_CONFIG", SECRETS + "kafka-analytics.properties")
                .withEnv("CPO_ANALYTICS_QUERY_ADVERTISED", "analytics-" + n + ":8091")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx384m " + ANALYTICS_OPTIONS)
                .withCopyToContainer(Transferable.of(clientConfig("analytics"), 0644), SECRETS + "kafka-analytics.properties")
                .withExposedPorts(8091)
                .waitingFor(Wait.forHttp("/health").forPort(8091).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));
    }

    /**
     * The analytics settings of compose.yaml: a member that stops heart-beating leaves the group after 10 s, so another
     * instance takes its partitions then (the Kafka default, 45 s, holds the line's verdicts that long).
     */
    static final String ANALYTICS_OPTIONS = "-Dcpo.analytics.streams.session.timeout.ms=10000 -Dcpo.analytics.streams.heartbeat.interval.ms=2000";

    private GenericContainer<?> service(int n) {
        return container("service-" + n, "cpo/platform-service")
                .withEnv("KAFKA_BOOTSTRAP_SERVERS", BROKERS)
                .withEnv("CPO_KAFKA_REPLICATION_FACTOR", "3")
                .withEnv("CPO_KAFKA_CLIENT_CONFIG", SECRETS + "kafka-platform-service.properties")
                .withEnv("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/cpo")
                .withEnv("QUARKUS_DATASOURCE_USERNAME", "cpo")
                .withEnv("QUARKUS_CONFIG_LOCATIONS", SECRETS + "service.properties")
                .withEnv("CPO_PLATFORM_SECURITY_ADMIN_PASSWORD_FILE", "/var/lib/cpo/admin/platform-admin-password")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx384m")
                .withCopyToContainer(Transferable.of(clientConfig("platform-service"), 0644), SECRETS + "kafka-platform-service.properties")
                .withCopyToContainer(Transferable.of(store(serviceSecrets), 0644), SECRETS + "service.properties")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/q/health/ready").forPort(8080).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(4)));
    }

    private GenericContainer<?> agent(String station) {
        Path folder = work.resolve("stations").resolve(station);
        Path input = folder.resolve("input");
        try {
            Files.createDirectories(input);
            // the agent runs as uid 1001 in its container: it moves files out of the folder and writes verdicts into it
            for (Path p : List.of(folder, input)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String user = com.cpo.schemas.KafkaAccess.station(station);
        return container("agent-" + station.toLowerCase(java.util.Locale.ROOT), "cpo/station")
                .withCommand("com.cpo.agent.StationAgentMain", "--station", station, "--input", "/var/lib/cpo/station/input",
                        "--bootstrap-servers", BROKERS, "--kafka-client-config", SECRETS + "kafka-" + user + ".properties",
                        "--status-host", "0.0.0.0", "--status-port", "9100")
                .withEnv("CPO_KAFKA_REPLICATION_FACTOR", "3")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx256m")
                .withCopyToContainer(Transferable.of(clientConfig(user), 0644), SECRETS + "kafka-" + user + ".properties")
                .withFileSystemBind(folder.toString(), "/var/lib/cpo/station", BindMode.READ_WRITE)
                .withExposedPorts(9100)
                .waitingFor(Wait.forHttp("/health").forPort(9100).forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
    }

    private GenericContainer<?> container(String name, String image) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image + ":latest"))
                .withNetwork(network).withNetworkAliases(name)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withHostName(name);
                    // published on 127.0.0.1 only (Testcontainers would publish on every interface)
                    ExposedPort[] exposed = cmd.getExposedPorts() == null ? new ExposedPort[0] : cmd.getExposedPorts();
                    cmd.getHostConfig().withPortBindings(java.util.Arrays.stream(exposed)
                            .map(port -> new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", FreePorts.find()), port)).toList());
                });
        containers.put(name, c);
        return c;
    }

    /** Runs a one-shot container to its end; fails unless it exits 0. */
    private void run(String name, String image, List<String> command, Map<String, String> env, String clientConfigFile) {
        String user = clientConfigFile.substring("kafka-".length(), clientConfigFile.length() - ".properties".length());
        GenericContainer<?> c = container(name, image).withCommand(command.toArray(String[]::new))
                .withCopyToContainer(Transferable.of(clientConfig(user), 0644), SECRETS + clientConfigFile)
                .withStartupCheckStrategy(new org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy()
                        .withTimeout(Duration.ofMinutes(2)));
        env.forEach(c::withEnv);
        c.start();
        LOG.info("{}: {}", name, c.getLogs().strip());
        c.stop();
        containers.remove(name);
    }

    private String clientConfig(String user) {
        return store(KafkaClientConfig.scram(user, passwords.get(user), false));
    }

    private static String store(Properties props) {
        java.io.StringWriter out = new java.io.StringWriter();
        try {
            props.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }

    /** The brokers' outside listeners, on 127.0.0.1. */
    public String bootstrapServers() {
        return externalPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The admin's login, for the ledger and the fault checks. */
    public Properties adminLogin() {
        return KafkaClientConfig.scram(com.cpo.embedded.EmbeddedKafka.ADMIN, passwords.get(com.cpo.embedded.EmbeddedKafka.ADMIN), false);
    }

    /** PostgreSQL, on its port of 127.0.0.1. */
    public PGSimpleDataSource database() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        GenericContainer<?> postgres = containers.get("postgres");
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + postgres.getMappedPort(5432) + "/cpo");
        ds.setUser("cpo");
        ds.setPassword(serviceSecrets.getProperty("quarkus.datasource.password"));
        return ds;
    }

    /** The query endpoint of analytics instance {@code n} (1 or 2). */
    public String analyticsUrl(int n) {
        return "http://127.0.0.1:" + containers.get("analytics-" + n).getMappedPort(8091);
    }

    /** The one address of the service instances (the proxy). */
    public String serviceUrl() {
        return "http://127.0.0.1:" + containers.get("proxy").getMappedPort(8080);
    }

    /** Service instance {@code n} (1 or 2) itself, past the proxy. */
    public String serviceUrl(int n) {
        return "http://127.0.0.1:" + containers.get("service-" + n).getMappedPort(8080);
    }

    /** Logs the first administrator in through the proxy. */
    public ServiceSession session() {
        return ServiceSession.login(serviceUrl(), "admin", adminPassword);
    }

    /** The status endpoint of a station's agent. */
    public String agentStatusUrl(String station) {
        return "http://127.0.0.1:" + containers.get("agent-" + station.toLowerCase(java.util.Locale.ROOT)).getMappedPort(9100);
    }

    /** The tester folder of a station: the simulated tester writes its files here. */
    public Path stationInput(String station) {
        return work.resolve("stations").resolve(station).resolve("input");
    }

    /**
     * Kills a container with SIGKILL ({@code docker kill}) and returns the exit code it ended with, as Docker reports it:
     * 137 proves it was killed.
     */
    public long kill(String name) throws InterruptedException {
        DockerClient docker = DockerClientFactory.instance().client();
        String id = containers.get(name).getContainerId();
        docker.killContainerCmd(id).withSignal("KILL").exec();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        InspectContainerResponse state = docker.inspectContainerCmd(id).exec();
        while (Boolean.TRUE.equals(state.getState().getRunning()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            state = docker.inspectContainerCmd(id).exec();
        }
        Long exit = state.getState().getExitCodeLong();
        LOG.info("{} killed: running={}, exit code {}", name, state.getState().getRunning(), exit);
        return exit == null ? -1 : exit;
    }

    /** Starts a killed container again (same name, volumes, ports). */
    public void restart(String name) {
        DockerClientFactory.instance().client().startContainerCmd(containers.get(name).getContainerId()).exec();
        LOG.info("{} started again", name);
    }

    /** Cuts a container off the line's network: it runs, nothing reaches it and it reaches nothing. */
    public void disconnect(String name) {
        DockerClientFactory.instance().client().disconnectFromNetworkCmd().withNetworkId(network.getId())
                .withContainerId(containers.get(name).getContainerId()).withForce(true).exec();
        LOG.info("{} disconnected from the network", name);
    }

    /** Whether the container is attached to the line's network now. */
    public boolean connected(String name) {
        Map<String, ContainerNetwork> networks = DockerClientFactory.instance().client().inspectContainerCmd(containers.get(name).getContainerId())
                .exec().getNetworkSettings().getNetworks();
        return networks.values().stream().anyMatch(n -> network.getId().equals(n.getNetworkID()));
    }

    /** Connects a cut-off container again, under its name. */
    public void reconnect(String name) {
        DockerClientFactory.instance().client().connectToNetworkCmd().withNetworkId(network.getId())
                .withContainerId(containers.get(name).getContainerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(name)).exec();
        LOG.info("{} connected to the network again", name);
    }

    /** Whether the container's process runs. */
    public boolean running(String name) {
        return Boolean.TRUE.equals(DockerClientFactory.instance().client().inspectContainerCmd(containers.get(name).getContainerId())
                .exec().getState().getRunning());
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(containers.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            try {
                containers.get(name).stop();
            } catch (RuntimeException e) {
                LOG.warn("cannot remove {}: {}", name, e.toString());
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove the network: {}", e.toString());
        }
    }
}
