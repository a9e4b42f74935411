package com.cpo.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.launcher.LocalPlatform;
import com.cpo.schemas.TopicLayout;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.testsupport.KafkaCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs one fault scenario: a three-node cluster, the whole platform on it (two alignment stations and a burn-in rack
 * under load), the scenario's faults while the load runs, then the {@link Ledger} once everything has settled.
 */
public final class FaultRun {

    private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Simulated start of the line in every scenario: the same seed and start give the same units, values and verdicts. */
    public static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    public static final List<String> STATIONS = List.of("AA-01", "AA-02");
    public static final String RACK = "BI-01";

    /**
     * The load and limits of a run.
     *
     * @param unitsPerStation alignment units each station tests (retests follow)
     * @param unitsPerMinute per station
     * @param rackUnits burn-in units (one load per 8)
     * @param burnInSpeedup simulated seconds of burn-in per second (a 12 h burn-in in 60 s at 720)
     * @param settleTimeout how long after the load the platform may take to store every verdict
     */
    public record Settings(Path projectRoot, Path workRoot, long seed, int unitsPerStation, double unitsPerMinute, int rackUnits,
            double burnInSpeedup, Duration settleTimeout) {

        /** Seconds the alignment load lasts at the configured rate. */
        public double loadSeconds() {
            return unitsPerStation * 60.0 / unitsPerMinute;
        }
    }

    /** One line of the table: the scenario, what proves its fault happened, the ledger's report, and how long it took. */
    public record Row(String scenario, String proof, Ledger.Report report, List<String> scenarioProblems, double seconds) {

        public int problems() {
            return report.lost() + report.duplicated() + report.differing() + scenarioProblems.size();
        }
    }

    /** What a scenario's faults act on. */
    public static final class Context {
        final Settings settings;
        final Path work;
        final KafkaCluster cluster;
        LocalPlatform platform;
        final List<String> proof = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long loadStartedNanos = System.nanoTime();

        Context(Settings settings, Path work, KafkaCluster cluster) {
            this.settings = settings;
            this.work = work;
            this.cluster = cluster;
        }

        public LocalPlatform platform() {
            return platform;
        }

        public KafkaCluster cluster() {
            return cluster;
        }

        public Path work() {
            return work;
        }

        public Settings settings() {
            return settings;
        }

        /** Notes what proves the fault happened (a pid gone, an exit code, a leader). */
        public void proved(String fact) {
            LOG.info("fault: {}", fact);
            proof.add(fact);
        }

        /** Notes a failed scenario-specific check. */
        public void problem(String what) {
            LOG.warn("scenario check failed: {}", what);
            problems.add(what);
        }

        /** Sleeps until this share of the alignment load has been written (0..1, by time). */
        public void atLoad(double fraction) throws InterruptedException {
            long target = loadStartedNanos + (long) (settings.loadSeconds() * fraction * 1e9);
            long wait = target - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
        }

        public static void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    }

    private FaultRun() {
    }

    /** Runs a scenario from a fresh cluster and platform to the ledger's report. */
    public static Row run(Scenario scenario, Settings settings) throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory(Files.createDirectories(settings.workRoot()), scenario.name() + "-");
        LOG.info("scenario {}: {} (work {})", scenario.name(), scenario.description(), work);
        try (KafkaCluster cluster = KafkaCluster.start(work)) {
            Context ctx = new Context(settings, work, cluster);
            scenario.prepare(ctx);
            LocalPlatform.Tuning tuning = scenario.tune(LocalPlatform.Tuning.DEFAULTS
                    .withCluster(cluster.bootstrapServers(), TopicLayout.REPLICATED)
                    .withRack(T0, settings.rackUnits(), 8, 8, Duration.ofMinutes(10), Duration.ofHours(12)));
            LocalPlatform.Options options = new LocalPlatform.Options(settings.projectRoot(), work.resolve("platform"), 0, settings.seed(),
                    STATIONS.size(), settings.unitsPerMinute(), settings.unitsPerStation(), T0, 1, settings.burnInSpeedup()).with(tuning);
            try (LocalPlatform platform = LocalPlatform.start(options)) {
                ctx.platform = platform;
                ctx.loadStartedNanos = System.nanoTime();
                scenario.faults(ctx);
                settle(platform, settings.settleTimeout());
                scenario.afterSettle(ctx);
                settle(platform, settings.settleTimeout());
                Truth truth = Truth.of(platform.written(), Map.of(RACK, platform.rackSimulators().get(0)), LocalPlatform.seedLimitSets());
                Ledger ledger = new Ledger(truth, platform.bootstrapServers(), platform.postgres().dataSource(), platform.analyticsUrl(),
                        platform.session());
                Ledger.Report report = awaitClean(ledger, Duration.ofSeconds(90));
                scenario.verify(ctx, report, ledger);
                Row row = new Row(scenario.name(), String.join("; ", ctx.proof), report, List.copyOf(ctx.problems),
                        (System.nanoTime() - started) / 1e9);
                LOG.info("scenario {} done in {} s: {}", scenario.name(), Math.round(row.seconds()), report);
                return row;
            } finally {
                scenario.cleanUp(ctx);
            }
        }
    }

    /**
     * Waits until the simulators are done, every agent runs with an empty spool and no result file waiting, and every run
     * written has its verdict in PostgreSQL; then the ledger may look.
     */
    static void settle(LocalPlatform platform, Duration timeout) throws InterruptedException {
        settle(() -> settledState(platform), timeout);
    }

    /**
     * Polls what still keeps the line from being settled (empty when nothing does) every 2 s until it is empty or the
     * timeout passes; then the ledger looks anyway, and will say what is missing.
     */
    public static void settle(java.util.function.Supplier<String> unsettled, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = unsettled.get();
            if (state.isEmpty()) {
                return;
            }
            Thread.sleep(2000);
        }
        LOG.warn("not settled within {}: {}; the ledger looks anyway", timeout, state);
    }

    /** Empty when at least {@code expected} verdicts are stored, else how many are. */
    public static String verdictsStored(javax.sql.DataSource database, int expected) {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM verdicts")) {
            rs.next();
            int stored = rs.getInt(1);
            return stored >= expected ? "" : stored + " of " + expected + " verdicts stored";
        } catch (Exception e) {
            return "database: " + e.getMessage();
        }
    }

    private static String settledState(LocalPlatform platform) {
        if (!platform.simulatorsDone()) {
            return "simulators writing";
        }
        for (Map.Entry<String, String> agent : platform.agentStatusUrls().entrySet()) {
            try {
                HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(agent.getValue().replaceAll("/+$", "") + "/status"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode s = JSON.readTree(status.body());
                if (s.get("spoolDepthEvents").asLong() > 0) {
                    return "agent " + agent.getKey() + " has " + s.get("spoolDepthEvents").asLong() + " events unsent";
                }
            } catch (IOException e) {
                return "agent " + agent.getKey() + " does not answer";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        for (String station : STATIONS) {
            Path input = platform.workDir().toAbsolutePath().resolve("stations").resolve(station).resolve("input");
            try (var files = Files.list(input)) {
                long waiting = files.filter(p -> p.toString().endsWith(".align")).count();
                if (waiting > 0) {
                    return station + " has " + waiting + " result files not taken";
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int expected = platform.written().size() + platform.rackSimulators().stream().mapToInt(r -> r.made().size()).sum();
        return verdictsStored(platform.postgres().dataSource(), expected);
    }

    /** The figures converge a second or two after the last verdict (yield and statistics flush once a second). */
    private static Ledger.Report awaitClean(Ledger ledger, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Ledger.Report report = ledger.check();
        while (!report.clean() && System.nanoTime() < deadline) {
            Thread.sleep(5000);
            report = ledger.check();
        }
        return report;
    }

    /** A table of rows and the summary lines the benchmark ends with. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-22s %8s %8s %6s %8s %7s %5s %5s %5s %7s  %s%n", "scenario", "written", "acked", "runs", "verdicts", "stored",
                "lost", "dup", "diff", "seconds", "fault (proof)"));
        Map<String, Integer> totals = new TreeMap<>();
        for (Row r : rows) {
            Ledger.Report p = r.report();
            out.append(String.format("%-22s %8d %8d %6d %8d %7d %5d %5d %5d %7.0f  %s%n", r.scenario(), p.eventsWritten(), p.eventsAcknowledged(),
                    p.runs(), p.verdictsCommitted(), p.runsStored(), p.lost(), p.duplicated(), p.differing() + r.scenarioProblems().size(),
                    r.seconds(), r.proof()));
            p.examples().forEach(e -> out.append("    ").append(e).append('\n'));
            r.scenarioProblems().forEach(e -> out.append("    scenario: ").append(e).append('\n'));
            totals.merge("events", p.eventsWritten(), Integer::sum);
            totals.merge("lost", p.lost(), Integer::sum);
            totals.merge("dup", p.duplicated(), Integer::sum);
            totals.merge("diff", p.differing() + r.scenarioProblems().size(), Integer::sum);
        }
        out.append("scenarios: ").append(rows.size()).append('\n');
        out.append("events_written: ").append(totals.getOrDefault("events", 0)).append('\n');
        out.append("lost: ").append(totals.getOrDefault("lost", 0)).append('\n');
        out.append("duplicated_with_different_content: ").append(totals.getOrDefault("dup", 0)).append('\n');
        out.append("figures_differing: ").append(totals.getOrDefault("diff", 0)).append('\n');
        return out.toString();
    }

    /** The rack's simulator of a platform, for scenarios. */
    static BurnInSimulator rack(LocalPlatform platform) {
        return platform.rackSimulators().get(0);
    }
}
