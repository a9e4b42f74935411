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

import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.embedded.ChildJvm;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.embedded.FreePorts;
import com.cpo.embedded.KafkaSecrets;
import com.cpo.events.LimitSet;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.TopicLayout;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;

/**
 * The whole platform on one machine: a real KRaft broker and a real PostgreSQL (in this JVM and its
 * child process), the analytics application, the Quarkus service and one station agent per simulated
 * station (each its own JVM, as in production), and simulated alignment testers writing result files.
 * Used by the run command and by the end-to-end test, so the test checks exactly what users start.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);

    /** The example limit set seeded on the limits topic until the service releases limits. */
    public static final String LIMIT_SET_ID = com.cpo.schemas.ExampleLimitSets.ALIGN_16;
    public static final double COUPLING_LOSS_USL_DB = com.cpo.schemas.ExampleLimitSets.COUPLING_LOSS_USL_DB;

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
            Integer finiteUnits, Instant simulatedStart, int racks, double burnInSpeedup, Tuning tuning) {

        public Options(Path projectRoot, Path workDir, int httpPort, long seed, int stations, double unitsPerMinute, Integer finiteUnits,
                Instant simulatedStart, int racks, double burnInSpeedup) {
            this(projectRoot, workDir, httpPort, seed, stations, unitsPerMinute, finiteUnits, simulatedStart, racks, burnInSpeedup,
                    Tuning.DEFAULTS);
        }

        public Options with(Tuning t) {
            return new Options(projectRoot, workDir, httpPort, seed, stations, unitsPerMinute, finiteUnits, simulatedStart, racks,
                    burnInSpeedup, t);
        }
    }

    /**
     * What fault runs and benchmarks change beyond the run command's options.
     *
     * @param bootstrapServers an external cluster's brokers (e.g. a three-node {@code KafkaCluster}); null: start the
     *        embedded single broker
     * @param layout how the topics are laid out on it (replication)
     * @param rackSimulatedStart simulated start of the racks' first load; null: now
     * @param rackUnits units each rack tests before it stops (one load per {@code rackSlots} units); null: loads until stopped
     * @param rackSlots slots per rack
     * @param rackChannels channels per unit in a rack
     * @param readingInterval simulated time between readings
     * @param burnIn simulated burn-in duration
     * @param stationStarts simulated start per alignment station (overrides {@code simulatedStart})
     * @param agentArgs extra command-line options per station's agent
     */
    public record Tuning(String bootstrapServers, TopicLayout layout, Instant rackSimulatedStart, Integer rackUnits, int rackSlots,
            int rackChannels, Duration readingInterval, Duration burnIn, Map<String, Instant> stationStarts,
            Map<String, List<String>> agentArgs, Line line) {

        public static final Tuning DEFAULTS = new Tuning(null, TopicLayout.SINGLE_BROKER, null, null, 8, 8, Duration.ofMinutes(5),
                Duration.ofHours(24), Map.of(), Map.of(), Line.DEFAULTS);

        public Tuning withLine(Line l) {
            return new Tuning(bootstrapServers, layout, rackSimulatedStart, rackUnits, rackSlots, rackChannels, readingInterval, burnIn,
                    stationStarts, agentArgs, l);
        }

        public Tuning withCluster(String servers, TopicLayout l) {
            return new Tuning(servers, l, rackSimulatedStart, rackUnits, rackSlots, rackChannels, readingInterval, burnIn, stationStarts,
                    agentArgs, line);
        }

        public Tuning withRack(Instant start, Integer units, int slots, int channels, Duration interval, Duration duration) {
            return new Tuning(bootstrapServers, layout, start, units, slots, channels, interval, duration, stationStarts, agentArgs, line);
        }

        public Tuning withStationStarts(Map<String, Instant> starts) {
            return new Tuning(bootstrapServers, layout, rackSimulatedStart, rackUnits, rackSlots, rackChannels, readingInterval, burnIn,
                    Map.copyOf(starts), agentArgs, line);
        }

        public Tuning withAgentArgs(Map<String, List<String>> args) {
            return new Tuning(bootstrapServers, layout, rackSimulatedStart, rackUnits, rackSlots, rackChannels, readingInterval, burnIn,
                    stationStarts, Map.copyOf(args), line);
        }
    }

    /**
     * What the simulated line makes beyond the defaults.
     *
     * @param plantZone the plant's time zone for every component ({@code cpo.plant.zone}); null: UTC
     * @param stationProducts product and channel count per alignment station ({@code CPO-OE8=8}); others make CPO-OE16
     * @param reworkStation where reworked units are retested (an agent of its own); null: where they were first tested
     * @param abortRate share of alignment runs aborted (INCOMPLETE)
     * @param cycleTime simulated duration of one alignment run; null: the simulator's (45 s)
     */
    public record Line(String plantZone, Map<String, String> stationProducts, String reworkStation, double abortRate, Duration cycleTime) {

        public static final Line DEFAULTS = new Line(null, Map.of(), null, 0, null);
    }

    private final Options options;
    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
    private final List<SimulatedRun> written = new CopyOnWriteArrayList<>();
    private final List<BurnInSimulator> rackSimulators = new CopyOnWriteArrayList<>();
    private final Map<String, ChildJvm> agents = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ChildJvm analytics;
    private List<String> analyticsArgs;
    private final List<Thread> simulators = new ArrayList<>();
    private final List<String> agentStations = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private EmbeddedKafka kafka;
    private String bootstrapServers;
    /** Client-config file of each Kafka user (embedded broker: SASL/SCRAM, ACLs); empty on an external cluster. */
    private final Map<String, Path> kafkaClientConfigs = new java.util.concurrent.ConcurrentHashMap<>();
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
        Tuning tuning = options.tuning();
        List<String> stationIds = new ArrayList<>();
        for (int st = 1; st <= options.stations(); st++) {
            stationIds.add(station(st));
        }
        if (tuning.line().reworkStation() != null) {
            stationIds.add(tuning.line().reworkStation());
        }
        for (int r = 1; r <= options.racks(); r++) {
            stationIds.add(rack(r));
        }
        if (tuning.bootstrapServers() == null) {
            Map<String, String> passwords = KafkaSecrets.generate(stationIds);
            kafka = EmbeddedKafka.startSecured(work, passwords);
            toClose.add(kafka);
            bootstrapServers = kafka.bootstrapServers();
            kafka.createTopics(tuning.layout().newTopics());
            kafka.createAcls(KafkaAccess.forLine(stationIds, KafkaAccess.DEFAULT_ANALYTICS_APPLICATION_ID));
            kafkaClientConfigs.putAll(KafkaSecrets.write(work.resolve("secrets"), passwords));
        } else {
            bootstrapServers = tuning.bootstrapServers();
            createTopics(bootstrapServers, tuning.layout());
        }
        seedLimits();
        postgres = EmbeddedPostgresServer.start(work, "cpo", true); // durable: a small line may really run on it
        toClose.add(postgres);

        httpPort = options.httpPort() == 0 ? FreePorts.find() : options.httpPort();
        queryPort = FreePorts.find();
        String replication = "-D" + TopicLayout.REPLICATION_FACTOR_KEY + "=" + tuning.layout().replicationFactor();
        String zone = "-D" + com.cpo.domain.PlantCalendar.ZONE_KEY + "=" + (tuning.line().plantZone() == null ? "UTC" : tuning.line().plantZone());
        serviceArgs = List.of("-Xmx384m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + bootstrapServers, replication, zone,
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.username=" + postgres.user(),
                "-Dcpo.platform.security.admin-password-file=" + adminPasswordFile(),
                "-Djava.io.tmpdir=" + work.resolve("tmp"));
        service = startServiceJvm();
        children.add(service);
        // a state folder of its own, kept across a restart of the process (a restart restores from it, or from the changelogs)
        analyticsArgs = List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-Dcpo.kafka.bootstrap-servers=" + bootstrapServers, replication, zone,
                "-Dcpo.analytics.query-port=" + queryPort,
                "-Dcpo.analytics.state-dir=" + work.resolve("analytics-state"),
                // the racks' planned burn-in: the alarms' projections look to its end
                "-Dcpo.analytics.burnin-duration-ms=" + tuning.burnIn().toMillis(),
                "-Djava.io.tmpdir=" + work.resolve("tmp"));
        analytics = startAnalyticsJvm();
        children.add(analytics);
        agentStations.addAll(stationIds);
        for (String station : stationIds) {
            ChildJvm agent = startAgentJvm(station);
            agents.put(station, agent);
            children.add(agent);
        }
        awaitServiceReady(Duration.ofSeconds(120));
        for (int s = 1; s <= options.stations(); s++) {
            startSimulator(s);
        }
        for (int r = 1; r <= options.racks(); r++) {
            startRack(r);
        }
    }

    private ChildJvm startAnalyticsJvm() {
        return ChildJvm.start("analytics", analyticsArgs, List.of("-cp", distribution("services/analytics"), "com.cpo.analytics.AnalyticsApp"),
                options.workDir().toAbsolutePath().resolve("logs").resolve("analytics.log"), kafkaEnv(KafkaAccess.ANALYTICS));
    }

    /**
     * The class path of a component's own distribution ({@code MODULE/target/dist/lib}): each runs with its jars only, as
     * it is deployed, never with the launcher's broker and database.
     */
    private String distribution(String module) {
        Path lib = options.projectRoot().resolve(module).resolve("target/dist/lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(module + " is not built: " + lib + " is missing; run ./mvnw -DskipTests package first");
        }
        return lib + "/*";
    }

    private ChildJvm startAgentJvm(String station) {
        Path input = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input");
        List<String> args = new ArrayList<>(List.of("-cp", distribution("station-agents"), "com.cpo.agent.StationAgentMain",
                "--station", station, "--input", input.toString(), "--bootstrap-servers", bootstrapServers));
        Path clientConfig = kafkaClientConfigs.get(KafkaAccess.station(station));
        if (clientConfig != null) {
            args.addAll(List.of("--kafka-client-config", clientConfig.toString()));
        }
        args.addAll(options.tuning().agentArgs().getOrDefault(station, List.of()));
        return ChildJvm.start("agent-" + station, List.of("-Xmx128m", "-XX:+UseSerialGC",
                "-D" + TopicLayout.REPLICATION_FACTOR_KEY + "=" + options.tuning().layout().replicationFactor()), args,
                options.workDir().toAbsolutePath().resolve("logs").resolve("agent-" + station + ".log"));
    }

    private static void createTopics(String servers, TopicLayout layout) {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            EmbeddedKafka.createMissing(admin, layout.newTopics());
        }
    }

    /** Kills the analytics app with SIGKILL; returns its exit code (137). */
    public int killAnalytics() {
        return analytics.kill();
    }

    /** Starts the analytics app again (same state folder, same query port). */
    public void startAnalytics() {
        if (analytics.isAlive()) {
            throw new IllegalStateException("the analytics app is running");
        }
        ChildJvm restarted = startAnalyticsJvm();
        children.set(children.indexOf(analytics), restarted);
        analytics = restarted;
    }

    /** Kills the service with SIGKILL; returns its exit code (137). */
    public int killService() {
        return service.kill();
    }

    /** Kills a station's agent with SIGKILL; returns its exit code (137). */
    public int killAgent(String station) {
        return agents.get(station).kill();
    }

    /** Starts a station's agent again on the same folders and spool. */
    public void startAgent(String station) {
        ChildJvm old = agents.get(station);
        if (old.isAlive()) {
            throw new IllegalStateException("the agent of " + station + " is running");
        }
        ChildJvm restarted = startAgentJvm(station);
        children.set(children.indexOf(old), restarted);
        agents.put(station, restarted);
    }

    /** Whether a station's agent process runs. */
    public boolean agentAlive(String station) {
        return agents.get(station).isAlive();
    }

    /** Pid of the analytics app, the service, or a station's agent ("agent-AA-01"). */
    public long pidOf(String component) {
        return switch (component) {
            case "analytics" -> analytics.pid();
            case "platform-service" -> service.pid();
            default -> agents.get(component.substring("agent-".length())).pid();
        };
    }

    private ChildJvm startServiceJvm() {
        Path serviceJar = options.projectRoot().resolve("services/platform/target/quarkus-app/quarkus-run.jar");
        Map<String, String> env = new java.util.HashMap<>(kafkaEnv(KafkaAccess.SERVICE));
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password()); // in the environment: never in a process list
        // one key for the run: a session outlives a restart of the service
        env.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", sessionKey);
        return ChildJvm.start("platform-service", serviceArgs, List.of("-jar", serviceJar.toString()),
                options.workDir().toAbsolutePath().resolve("logs").resolve("platform-service.log"), env);
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
        Tuning t = options.tuning();
        Path log = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input").resolve(station + ".burnin");
        BurnInSimulator simulator = new BurnInSimulator(BurnInSimulator.Config.defaults(options.seed() + 100 + index).withStation(station)
                .withRack(t.rackSlots(), t.rackChannels()).withTiming(t.readingInterval(), t.burnIn())
                .withSimulatedStart(t.rackSimulatedStart() != null ? t.rackSimulatedStart()
                        : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        rackSimulators.add(simulator);
        Thread thread = new Thread(() -> {
            try {
                int loads = t.rackUnits() == null ? Integer.MAX_VALUE : (t.rackUnits() + t.rackSlots() - 1) / t.rackSlots();
                for (int load = 0; running && load < loads; load++) {
                    BurnInSimulator.play(log, simulator.nextLoad(), options.burnInSpeedup());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rack-" + station);
        thread.setDaemon(true);
        thread.start();
        if (t.rackUnits() != null) {
            simulators.add(thread); // finite: simulatorsDone() waits for it too
        }
    }

    /** The racks' simulators: what they made (units, readings) is the burn-in ground truth. */
    public List<BurnInSimulator> rackSimulators() {
        return List.copyOf(rackSimulators);
    }

    private final String sessionKey = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(24));

    private volatile ServiceSession session;

    /**
     * A session of the first administrator ({@code admin}: the viewer's rights too), logged in on first use and again every
     * 20 minutes (sessions end after 30 idle); it survives a restart of the service (one session key per run). For tests and
     * tools that read the REST API.
     */
    public synchronized ServiceSession session() {
        if (session == null || session.olderThan(Duration.ofMinutes(20))) {
            session = ServiceSession.login(serviceUrl(), "admin", adminPasswordFile());
        }
        return session;
    }

    /** Where the service writes its first administrator's password (user {@code admin}) at its first start. */
    public Path adminPasswordFile() {
        return options.workDir().toAbsolutePath().resolve("secrets").resolve("platform-admin-password");
    }

    /** The environment naming a Kafka user's client-config file to a child JVM; empty on an external cluster. */
    private Map<String, String> kafkaEnv(String user) {
        Path file = kafkaClientConfigs.get(user);
        return file == null ? Map.of() : Map.of("CPO_KAFKA_CLIENT_CONFIG", file.toString());
    }

    /** Client-config files of the embedded broker's users (SASL/SCRAM), by user; empty on an external cluster. */
    public Map<String, Path> kafkaClientConfigs() {
        return Map.copyOf(kafkaClientConfigs);
    }

    /** The Kafka brokers the platform uses. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static String station(int index) {
        return String.format("AA-%02d", index);
    }

    /** The example limit sets the platform is seeded with (docs/DOMAIN.md): every run of a fault run is judged by them. */
    /** The simulated testers' alignment scan: this many positions per axis and channel. */
    static final int SCAN_POINTS_PER_AXIS = 7;

    public static List<LimitSet> seedLimitSets() {
        return com.cpo.schemas.ExampleLimitSets.all();
    }

    private void seedLimits() {
        // as the service: only it may write limits
        Properties props = kafka != null ? kafka.clientProperties(KafkaAccess.SERVICE) : new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        com.cpo.schemas.ExampleLimitSets.publish(props);
    }

    private void startSimulator(int index) {
        String station = station(index);
        Path input = options.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input");
        Line line = options.tuning().line();
        AlignmentSimulator.Config config = AlignmentSimulator.Config.defaults(options.seed() + index).withStation(station);
        String product = line.stationProducts().get(station);
        if (product != null) {
            String[] p = product.split("=");
            config = config.withProduct(p[0], Integer.parseInt(p[1]));
        }
        if (line.reworkStation() != null || line.abortRate() > 0 || line.cycleTime() != null) {
            config = config.withRework(line.reworkStation(), line.abortRate(), line.cycleTime() == null ? config.cycleTime() : line.cycleTime());
        }
        Instant start = options.tuning().stationStarts().getOrDefault(station, options.simulatedStart());
        if (start != null) {
            config = config.withSimulatedStart(start);
        }
        // with the pre-cure power-vs-position scan (7 × 7 positions per channel), as the unit page shows it
        AlignmentSimulator simulator = new AlignmentSimulator(config).withScan(SCAN_POINTS_PER_AXIS);
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
                simulator.write(run, run.station().equals(station) ? input
                        : options.workDir().toAbsolutePath().resolve("stations").resolve(run.station()).resolve("input"));
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
