package com.cpo.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cpo.domain.AlignmentRules;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Outcome;
import com.cpo.domain.Parameters;
import com.cpo.domain.WhatIf;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.launcher.ServiceSession;
import com.cpo.platform.persistence.StoredRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./benchmarks/run whatif}: a year of CPO-OE16 alignment in the real PostgreSQL ({@link HistoryLoader} with
 * {@code alignmentOnly}: 906,250 units, about 1,000,000 ALIGN runs of 16 channels × 3 steps, loaded with COPY), v1 of
 * CPO-OE16/ALIGN released and a draft v2 made through REST, then:
 * <ol>
 * <li>the bare loop: the same rows read by the service's own query ({@link StoredRuns}) into memory a block of 20,000 runs
 * at a time, and only the rules timed: {@link AlignmentRules#evaluate} with v1 and with v2 for each run (what any what-if
 * must do at the least);</li>
 * <li>the what-if through REST, in the packaged service with {@code -Xmx256m}, after one untimed what-if of the first month
 * (a service that has answered before): from the request to the job DONE (reading, judging twice, figures per station and
 * channel, the workbook, the result stored).</li>
 * </ol>
 * The bare loop runs first, so both find the database in the page cache alike. Both must judge the same number of runs and
 * the what-if's flips must equal the bare loop's. Figures: runs, load time, both rates, the service's peak heap, then
 * {@code whatif_runs_per_s}, {@code bare_rules_runs_per_s} and {@code ratio} (goal ≥ 0.5).
 */
final class WhatIfBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GENERATOR_VERSION = 1;
    private static final Map<String, String> POSTGRES_SETTINGS = Map.of("shared_buffers", "2GB", "work_mem", "256MB",
            "maintenance_work_mem", "1GB", "effective_cache_size", "8GB", "max_wal_size", "8GB", "checkpoint_timeout", "30min",
            "max_parallel_workers_per_gather", "2", "max_parallel_maintenance_workers", "2", "random_page_cost", "1.1");
    private static final LimitSet V1 = new LimitSet("CPO-OE16/ALIGN", 1, Instant.EPOCH,
            List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 2.0, "dB")));
    /** Tighter on every channel, and tighter still on channel 5: what an engineer would ask about. */
    private static final LimitSet V2 = new LimitSet("CPO-OE16/ALIGN", 2, Instant.EPOCH,
            List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 1.6, "dB"), new Limit(Parameters.COUPLING_LOSS, 5, null, 1.45, "dB")));

    private WhatIfBenchmark() {
    }

    static void run() throws Exception {
        int units = Integer.getInteger("bench.whatif.units", 906_250);
        Path db = Path.of("target/whatif-db").toAbsolutePath();
        Path marker = db.resolve("loaded.properties");
        Properties loaded = new Properties();
        boolean reuse = false;
        if (Files.exists(marker) && !Boolean.getBoolean("bench.whatif.reload")) {
            try (InputStream in = Files.newInputStream(marker)) {
                loaded.load(in);
            }
            reuse = String.valueOf(GENERATOR_VERSION).equals(loaded.getProperty("version")) && String.valueOf(units).equals(loaded.getProperty("units"));
        }
        if (!reuse) {
            BenchFiles.deleteTree(db);
        }
        Path work = BenchFiles.newWorkDir("whatif");
        System.err.printf(Locale.ROOT, "whatif: %,d units, database %s (%s)%n", units, db, reuse ? "loaded before" : "to load");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work);
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startKept(db, "cpo", POSTGRES_SETTINGS)) {
            kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
            List<String> options = List.of("-Dcpo.platform.security.admin-password-file=" + db.resolve("admin-password"));
            if (!reuse) {
                try (ServiceProcess schema = ServiceProcess.start(work, "schema", kafka, postgres, options, Duration.ofSeconds(120))) {
                    System.err.println("  schema made by the service");
                }
                long t0 = System.nanoTime();
                HistoryLoader.Counts counts = new HistoryLoader(units, true).load(postgres.dataSource());
                loaded.setProperty("version", String.valueOf(GENERATOR_VERSION));
                loaded.setProperty("units", String.valueOf(units));
                loaded.setProperty("load_s", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9));
                loaded.setProperty("align_runs", String.valueOf(counts.alignRuns()));
                loaded.setProperty("alignment_values", String.valueOf(counts.alignmentValues()));
                System.err.printf(Locale.ROOT, "  loaded in %s s: %s%n", loaded.getProperty("load_s"), counts);
            }
            Path gcLog = work.resolve("gc.log");
            List<String> serviceOptions = new ArrayList<>(options);
            serviceOptions.addAll(List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog));
            try (ServiceProcess service = ServiceProcess.start(work, "platform-service", kafka, postgres, serviceOptions, Duration.ofMinutes(30))) {
                ServiceSession person = limits(service, loaded);
                try (OutputStream out = Files.newOutputStream(marker)) {
                    loaded.store(out, "what-if benchmark: what is loaded in this database");
                }
                Instant from = HistoryLoader.YEAR_START;
                Instant to = HistoryLoader.YEAR_END;

                System.err.println("  bare loop: the stored runs through AlignmentRules.evaluate with v1 and v2 ...");
                Bare bare = bare(new StoredRuns(postgres.dataSource()), from, to);
                System.err.printf(Locale.ROOT, "  bare: %,d runs, %,d flips, rules %.1f s (reading %.1f s, not counted)%n", bare.runs, bare.flips,
                        bare.rulesNanos / 1e9, bare.readNanos / 1e9);

                // one warm-up what-if over the first month (as a service that has answered before): not timed
                System.err.println("  warm-up: a what-if of the first month ...");
                JsonNode warm = whatIf(service, person, from, from.plus(Duration.ofDays(31)), System.nanoTime());
                System.err.printf(Locale.ROOT, "  warm-up: %,d runs%n", warm.path("result").path("runs").asLong());

                System.err.println("  what-if through REST ...");
                long t0 = System.nanoTime();
                JsonNode job = whatIf(service, person, from, to, t0);
                double whatIfS = (System.nanoTime() - t0) / 1e9;
                long runs = job.path("result").path("runs").asLong();
                long flips = job.path("result").path("flips").asLong();
                if (runs != bare.runs || flips != bare.flips) {
                    throw new IllegalStateException("the what-if judged " + runs + " runs with " + flips + " flips, the bare loop " + bare.runs
                            + " with " + bare.flips);
                }
                double whatIfRate = runs / whatIfS;
                double bareRate = bare.runs / (bare.rulesNanos / 1e9);
                System.out.printf(Locale.ROOT, "align_runs: %d%n", runs);
                System.out.printf(Locale.ROOT, "alignment_values: %s%n", loaded.getProperty("alignment_values"));
                System.out.printf(Locale.ROOT, "load_s: %s%n", loaded.getProperty("load_s"));
                System.out.printf(Locale.ROOT, "flips: %d%n", flips);
                System.out.printf(Locale.ROOT, "pass_to_fail: %d%n", job.path("result").path("passToFail").asLong());
                System.out.printf(Locale.ROOT, "whatif_s: %.1f%n", whatIfS);
                System.out.printf(Locale.ROOT, "bare_rules_s: %.1f%n", bare.rulesNanos / 1e9);
                System.out.printf(Locale.ROOT, "bare_read_s: %.1f%n", bare.readNanos / 1e9);
                System.out.printf(Locale.ROOT, "service_peak_heap_mb: %d%n", peakHeapMb(gcLog));
                System.out.printf(Locale.ROOT, "whatif_runs_per_s: %.0f%n", whatIfRate);
                System.out.printf(Locale.ROOT, "bare_rules_runs_per_s: %.0f%n", bareRate);
                System.out.printf(Locale.ROOT, "ratio: %.3f%n", whatIfRate / bareRate);
            }
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    /** Asks for a what-if of v2 over [from, to) and follows it to DONE (progress to stderr); fails when it fails. */
    private static JsonNode whatIf(ServiceProcess service, ServiceSession person, Instant from, Instant to, long t0) throws Exception {
        var accepted = person.postJson(service.url() + "/api/limit-sets/CPO-OE16/ALIGN/versions/2/what-if",
                JSON.writeValueAsString(Map.of("from", from.toString(), "to", to.toString())));
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("what-if answered " + accepted.statusCode() + ": " + accepted.body());
        }
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode job;
        double lastShown = -1;
        while (true) {
            job = JSON.readTree(person.get(location).body());
            String state = job.path("state").asText();
            if (state.equals("DONE") || state.equals("FAILED")) {
                break;
            }
            double progress = job.path("progress").asDouble();
            if (progress - lastShown >= 0.1) {
                System.err.printf(Locale.ROOT, "    %s %.0f %% (%,d of %,d runs, %.0f s)%n", state, 100 * progress, job.path("runsJudged").asLong(),
                        job.path("runsTotal").asLong(), (System.nanoTime() - t0) / 1e9);
                lastShown = progress;
            }
            Thread.sleep(200);
        }
        if (!job.path("state").asText().equals("DONE")) {
            throw new IllegalStateException("the what-if failed: " + job);
        }
        return job;
    }

    /** v1 released (backdated over the year) and the draft v2, through REST as people would; returns a session that may ask. */
    private static ServiceSession limits(ServiceProcess service, Properties loaded) throws Exception {
        ServiceSession admin = service.session();
        String url = service.url();
        String engineerPassword = loaded.getProperty("engineer_password");
        String qualityPassword = loaded.getProperty("quality_password");
        if (engineerPassword == null) {
            engineerPassword = created(admin.postJson(url + "/api/users", "{\"username\":\"bench-engineer\",\"roles\":\"engineer\"}"));
            qualityPassword = created(admin.postJson(url + "/api/users", "{\"username\":\"bench-quality\",\"roles\":\"quality\"}"));
            loaded.setProperty("engineer_password", engineerPassword);
            loaded.setProperty("quality_password", qualityPassword);
        }
        ServiceSession engineer = ServiceSession.login(url, "bench-engineer", engineerPassword);
        ServiceSession quality = ServiceSession.login(url, "bench-quality", qualityPassword);
        if (engineer.get(url + "/api/limit-sets/CPO-OE16/ALIGN/versions/2").statusCode() == 404) {
            ok(engineer.postJson(url + "/api/limit-sets/CPO-OE16/ALIGN/drafts", draft("v1", V1)), 201);
            ok(quality.postJson(url + "/api/limit-sets/CPO-OE16/ALIGN/versions/1/release", "{\"reason\":\"qualified\",\"effectiveFrom\":"
                    + "\"2020-01-01T00:00:00Z\",\"backdatingReason\":\"the loaded year was judged by it\"}"), 200);
            ok(engineer.postJson(url + "/api/limit-sets/CPO-OE16/ALIGN/drafts", draft("tighter, channel 5 tighter still", V2)), 201);
        }
        return quality;
    }

    private static String draft(String reason, LimitSet set) throws Exception {
        List<Map<String, Object>> limits = new ArrayList<>();
        for (Limit l : set.limits()) {
            Map<String, Object> m = new java.util.HashMap<>();
            m.put("parameter", l.parameter());
            m.put("channel", l.channel());
            m.put("upperLimit", l.upper());
            m.put("unitOfMeasure", l.unitOfMeasure());
            limits.add(m);
        }
        return JSON.writeValueAsString(Map.of("reason", reason, "limits", limits));
    }

    private static String created(java.net.http.HttpResponse<String> r) throws Exception {
        ok(r, 201);
        return JSON.readTree(r.body()).path("password").asText();
    }

    private static void ok(java.net.http.HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static final class Bare {
        long runs;
        long flips;
        long rulesNanos;
        long readNanos;
        long passed;
    }

    private static Bare bare(StoredRuns stored, Instant from, Instant to) throws Exception {
        Bare bare = new Bare();
        List<WhatIf.Run> block = new ArrayList<>(20_100);
        long t0 = System.nanoTime();
        stored.forEachUnitReadAhead(V1.id(), from, to, List.of(), 2, (serial, runs) -> {
            block.addAll(runs);
            if (block.size() >= 20_000) {
                judge(block, bare);
                block.clear();
            }
        });
        judge(block, bare);
        bare.readNanos = System.nanoTime() - t0 - bare.rulesNanos;
        if (bare.passed == 0) {
            throw new IllegalStateException("no run passed: the bare loop judged nothing real");
        }
        return bare;
    }

    private static void judge(List<WhatIf.Run> block, Bare bare) {
        long t0 = System.nanoTime();
        for (WhatIf.Run r : block) {
            Outcome before = AlignmentRules.evaluate(V1, r.values(), r.aborted(), r.expectedSteps(), r.receivedSteps()).outcome();
            Outcome after = AlignmentRules.evaluate(V2, r.values(), r.aborted(), r.expectedSteps(), r.receivedSteps()).outcome();
            bare.flips += before != after ? 1 : 0;
            bare.passed += before == Outcome.PASS ? 1 : 0;
        }
        bare.rulesNanos += System.nanoTime() - t0;
        bare.runs += block.size();
    }

    /** The largest heap occupancy before a collection in the GC log, in MB. */
    private static long peakHeapMb(Path gcLog) throws java.io.IOException {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }
}
