package com.cpo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.Topics;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.testsupport.EmbeddedKafka;
import com.cpo.testsupport.EmbeddedPostgresServer;
import com.cpo.testsupport.FreePorts;

/**
 * The whole platform on one machine: a real KRaft broker and a real PostgreSQL (in this JVM and its
 * child process), the analytics application, the Quarkus service and one station agent per simulated
 * station (each its own JVM, as in production), and simulated alignment testers writing result files.
 * Used by the run command and by the end-to-end test, so the test checks exactly what users start.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);

    /** The example limit set seeded on the limits topic until the service releases limits. */
    public static final String LIMIT_SET_ID = "CPO-OE16/ALIGN";
    public static final double COUPLING_LOSS_USL_DB = 2.0;

    /**
     * How to run.
     *
     * @param projectRoot the checkout (holds services/platform/target/quarkus-app)
     * @param workDir where broker, database, tester folders and logs live
     * @param httpPort the service's port; 0 for a free one
     * @param seed simulator seed
     * @param stations number of simulated alignment stations (AA-01, AA-02, ...)
     * @param unitsPerMinute per station; 0 for as fast as possible
     * @param finiteUnits null for a line that runs until stopped, else units per station (retests follow)
     * @param simulatedStart null for real time; else the simulated line's start (accelerated)
     * @param racks number of simulated burn-in racks (BI-01, ...), each with its own agent
     * @param burnInSpeedup simulated seconds of burn-in per real second (720: a 24 h burn-in in 2 minutes)
     */
    public record Options(Path projectRoot, Path workDir, int httpPort, long seed, int stations, double unitsPerMinute,
            Integer finiteUnits, Instant simulatedStart, int racks, double burnInSpeedup) {
    }

    private final Options options;
    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
    private final List<SimulatedRun> written = new CopyOnWriteArrayList<>();
    private final List<Thread> simulators = new ArrayList<>();
    private final List<String> agentStations = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    private int httpPort;
    private int queryPort;
    private List<String> serviceArgs;
    private volatile ChildJvm service;

    private LocalPlatform(Options options) {
        this.options = options;
    }

    /** Starts everything and returns once the service answers; on failure stops what it started. */
    public static LocalPlatform start(Options options) {
        LocalPlatform platform = new LocalPlatform(options);
        try {
            platform.startAll();
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() {
        Path work = options.workDir().toAbsolutePath();
        Path logs = work.resolve("logs");
        try {
            Files.createDirectories(logs);
            Files.createDirectories(work.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path serviceJar = options.projectRoot().resolve("services/platform/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(serviceJar)) {
            throw new IllegalStateException("the service is not built: " + serviceJar + " is missing; run ./mvnw -DskipTests package first");
        }
        kafka = EmbeddedKafka.start(work);
        toClose.add(kafka);
        kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
        seedLimits();
        postgres = EmbeddedPostgresServer.start(work, "cpo", true); // durable: a small line may really run on it
        toClose.add(postgres);

        httpPort = options.httpPort() == 0 ? FreePorts.find() : options.httpPort();
        queryPort = FreePorts.find();
        String classpath = System.getProperty("java.class.path");
        serviceArgs = List.of("-Xmx384m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.username=" + postgres.user(),
                "-Dquarkus.datasource.password=" + postgres.password(),
                "-Djava.io.tmpdir=" + work.resolve("tmp"));
        service = startServiceJvm();
        children.add(service);
        children.add(ChildJvm.start("analytics", List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-Dcpo.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "-Dcpo.analytics.query-port=" + queryPort,
                "-Djava.io.tmpdir=" + work.resolve("tmp")),
                List.of("-cp", classpath, "com.cpo.analytics.AnalyticsApp"), logs.resolve("analytics.log")));
        List<String> stationIds = new ArrayList<>();
        for (int s = 1; s <= options.stations(); s++) {
            stationIds.add(station(s));
        }
        for (int r = 1; r <= options.racks(); r++) {
            stationIds.add(rack(r));
        }
        agentStations.addAll(stationIds);
        for (String station : stationIds) {
            Path input = work.resolve("stations").resolve(station).resolve("input");
            children.add(ChildJvm.start("agent-" + station, List.of("-Xmx128m", "-XX:+UseSerialGC"),
                    List.of("-cp", classpath, "com.cpo.agent.StationAgentMain", "--station", station, "--input", input.toString(),
                            "--bootstrap-servers", kafka.bootstrapServers()),
                    logs.resolve("agent-" + station + ".log")));
        }
        awaitServiceReady(Duration.ofSeconds(120));
        for (int s = 1; s <= options.stations(); s++) {
            startSimulator(s);
        }
        for (int r = 1; r <= options.racks(); r++) {
            startRack(r);
        }
    }

    private ChildJvm startServiceJvm() {
        Path serviceJar = options.projectRoot().resolve("services/platform/target/quarkus-app/quarkus-run.jar");
        return ChildJvm.start("platform-service", serviceArgs, List.of("-jar", serviceJar.toString()),
                options.workDir().toAbsolutePath().resolve("logs").resolve("platform-service.log"));
    }

    /** Stops the service (SIGTERM), as an operator restarting it would; the rest of the platform runs on. */
    public void stopService() {
        service.close();
    }

    /** Starts the service again on the same port, database and broker, and returns once it is ready. */
    public void startService() {
        if (service.isAlive()) {
            throw new IllegalStateException("the service is running");
        }
        ChildJvm restarted = startServiceJvm();
        children.set(children.indexOf(service), restarted);
        service = restarted;
        awaitServiceReady(Duration.ofSeconds(120));
    }

    private static String rack(int index) {
        return String.format("BI-%02d", index);
    }

    /** A burn-in rack of 8 slots × 8 channels read every 5 minutes for 24 h, played at the chosen speed. */
    private void startRack(int index) {
        String station = rack(index);
        Path log = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input").resolve(station + ".burnin");
        BurnInSimulator simulator = new BurnInSimulator(BurnInSimulator.Config.defaults(options.seed() + 100 + index).withStation(station)
                .withRack(8, 8).withTiming(Duration.ofMinutes(5), Duration.ofHours(24))
                .withSimulatedStart(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        Thread thread = new Thread(() -> {
            try {
                while (running) {
                    BurnInSimulator.play(log, simulator.nextLoad(), options.burnInSpeedup());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rack-" + station);
        thread.setDaemon(true);
        thread.start();
    }

    private static String station(int index) {
        return String.format("AA-%02d", index);
    }

    private void seedLimits() {
        publishLimits(LimitSet.newBuilder().setLimitSetId("CPO-OE16/BURNIN").setVersion(1).setProduct("CPO-OE16").setOperation(Operation.BURNIN)
                .setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("seed (example limits, docs/DOMAIN.md)")
                .setLimits(List.of(
                        Limit.newBuilder().setParameter("power_drift").setLowerLimit(-0.5).setUpperLimit(0.5).setUnitOfMeasure("dB")
                                .setDescription("final-hour mean minus first-hour baseline power").build(),
                        Limit.newBuilder().setParameter("bias_drift").setUpperLimit(5.0).setUnitOfMeasure("%")
                                .setDescription("bias current change from the baseline").build(),
                        Limit.newBuilder().setParameter("sudden_drop").setUpperLimit(1.0).setUnitOfMeasure("dB")
                                .setDescription("largest power fall between consecutive readings").build()))
                .build());
        LimitSet limits = LimitSet.newBuilder().setLimitSetId(LIMIT_SET_ID).setVersion(1).setProduct("CPO-OE16").setOperation(Operation.ALIGN)
                .setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("seed (example limits, docs/DOMAIN.md)")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setUpperLimit(COUPLING_LOSS_USL_DB)
                        .setUnitOfMeasure("dB").setDescription("coupling loss per channel at every alignment step").build()))
                .build();
        publishLimits(limits);
    }

    private void publishLimits(LimitSet limits) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<LimitSet>())) {
            producer.send(new ProducerRecord<>(Topics.LIMITS.name(), limits.getLimitSetId() + "@" + limits.getVersion(), limits)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the seed limit set " + limits.getLimitSetId() + ": " + e, e);
        }
    }

    private void startSimulator(int index) {
        String station = station(index);
        Path input = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input");
        AlignmentSimulator.Config config = AlignmentSimulator.Config.defaults(options.seed() + index).withStation(station);
        if (options.simulatedStart() != null) {
            config = config.withSimulatedStart(options.simulatedStart());
        }
        AlignmentSimulator simulator = new AlignmentSimulator(config);
        long pauseMs = options.unitsPerMinute() <= 0 ? 0 : (long) (60_000 / options.unitsPerMinute());
        Thread thread = new Thread(() -> {
            List<SimulatedRun> finite = options.finiteUnits() == null ? null : simulator.runUnits(options.finiteUnits());
            int i = 0;
            while (running) {
                SimulatedRun run;
                if (finite != null) {
                    if (i >= finite.size()) {
                        return;
                    }
                    run = finite.get(i++);
                } else {
                    run = simulator.next();
                }
                simulator.write(run, input);
                written.add(run);
                if (pauseMs > 0) {
                    try {
                        Thread.sleep(pauseMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "simulator-" + station);
        thread.setDaemon(true);
        thread.start();
        simulators.add(thread);
    }

    private void awaitServiceReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ChildJvm child : children) {
                if (!child.isAlive()) {
                    throw new IllegalStateException(child.name() + " exited during start-up; see " + child.log());
                }
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serviceUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("the service did not become ready within " + timeout + "; see "
                + options.workDir().resolve("logs/platform-service.log"));
    }

    /** Base URL of the service, e.g. http://127.0.0.1:8080. */
    public String serviceUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The live dashboard of the service. */
    public String dashboardUrl() {
        return serviceUrl() + "/dashboard.html";
    }

    /** Base URL of the analytics application's interactive queries, e.g. http://127.0.0.1:8091. */
    public String analyticsUrl() {
        return "http://127.0.0.1:" + queryPort;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /** Every run the simulated testers have written so far (the ground truth). */
    public List<SimulatedRun> written() {
        return List.copyOf(written);
    }

    /** Whether the finite simulators have written all their runs. */
    public boolean simulatorsDone() {
        return simulators.stream().noneMatch(Thread::isAlive);
    }

    /** name, pid and resident memory (MiB) of each process of the platform. */
    public List<String> processReport() {
        List<String> lines = new ArrayList<>();
        ProcessHandle self = ProcessHandle.current();
        lines.add(String.format("%-22s pid %-7d rss %5d MiB", "launcher+kafka", self.pid(), ProcessMemory.rssMib(self.pid())));
        lines.add(String.format("%-22s %-11s rss %5d MiB", "postgresql (all procs)", "", ProcessMemory.rssMibOfTree(postgres.postmasterPid())));
        for (ChildJvm child : children) {
            lines.add(String.format("%-22s pid %-7d rss %5d MiB", child.name(), child.pid(), ProcessMemory.rssMib(child.pid())));
        }
        return lines;
    }

    /**
     * Station to the base URL of its agent's status endpoint (/health, /status, /metrics), for the agents that
     * have written theirs (to SPOOL/status-url) by now.
     */
    public Map<String, String> agentStatusUrls() {
        Map<String, String> urls = new TreeMap<>();
        for (String station : agentStations) {
            Path file = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("spool").resolve("status-url");
            try {
                urls.put(station, Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (NoSuchFileException e) {
                // not started yet
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return urls;
    }

    public Path workDir() {
        return options.workDir();
    }

    @Override
    public void close() {
        running = false;
        simulators.forEach(Thread::interrupt);
        List<ChildJvm> reversed = new ArrayList<>(children);
        Collections.reverse(reversed);
        reversed.parallelStream().forEach(ChildJvm::close);
        List<AutoCloseable> infra = new ArrayList<>(toClose);
        Collections.reverse(infra);
        for (AutoCloseable c : infra) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", c, e.toString());
            }
        }
    }
}
