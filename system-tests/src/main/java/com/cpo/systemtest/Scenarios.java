package com.cpo.systemtest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.launcher.LocalPlatform;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;

/**
 * The fault scenarios of {@code ./benchmarks/run faults}, each under the load of two alignment stations and a burn-in
 * rack, each ending with the ledger; {@link #quick()} is the short version the test command runs.
 */
public final class Scenarios {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Scenarios() {
    }

    /** Every scenario, in the order the benchmark runs them. */
    public static List<Scenario> all() {
        return List.of(baseline(), brokerLeaderKilled(5), twoBrokersDown(Duration.ofMinutes(3)), agentKilled(4), analyticsKilled(3),
                serviceKilled(2), postgresStopped(Duration.ofMinutes(2)), everyEventTwice(), agentOfflineEightHours(), poisonMix(5, 5),
                agentDiskFull(), hostileTesterFiles());
    }

    /** The short version in the test command: the faults of every boundary once, in one run. */
    public static List<Scenario> quick() {
        return List.of(combined());
    }

    /** By name, for running one: ./benchmarks/run faults NAME. */
    public static Scenario named(String name) {
        return Stream.concat(all().stream(), quick().stream()).filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; there are "
                        + Stream.concat(all().stream(), quick().stream()).map(Scenario::name).toList()));
    }

    private static Scenario scenario(String name, String description, Fault faults) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public void faults(FaultRun.Context ctx) throws Exception {
                faults.play(ctx);
            }
        };
    }

    @FunctionalInterface
    interface Fault {
        void play(FaultRun.Context ctx) throws Exception;
    }

    static Scenario baseline() {
        return scenario("baseline", "no fault: the ledger of a clean run", ctx -> ctx.proved("no fault"));
    }

    /** SIGKILL the leader of a station-events partition, bring it back, {@code times} times during the load. */
    static Scenario brokerLeaderKilled(int times) {
        return scenario("broker-leader-kill-x" + times, "the leader of a station-events partition SIGKILLed " + times + " times",
                ctx -> {
                    for (int i = 0; i < times; i++) {
                        ctx.atLoad((i + 0.5) / (times + 1));
                        killLeader(ctx, i % 3);
                    }
                });
    }

    static void killLeader(FaultRun.Context ctx, int partition) throws InterruptedException {
        int leader = ctx.cluster().leaderOf(Topics.STATION_EVENTS.name(), partition);
        long pid = ctx.cluster().pid(leader);
        int exit = ctx.cluster().kill(leader);
        ctx.proved("leader node " + leader + " of station-events-" + partition + " (pid " + pid + ") killed, exit " + exit
                + (ProcessHandle.of(pid).isPresent() ? " BUT STILL ALIVE" : ""));
        // the controller fences a node that stops heartbeating (broker.session.timeout.ms 6 s), then moves its leaderships
        long killed = System.nanoTime();
        int now = leader;
        while (now == leader && System.nanoTime() - killed < Duration.ofSeconds(45).toNanos()) {
            FaultRun.Context.sleep(Duration.ofSeconds(1));
            now = ctx.cluster().leaderOf(Topics.STATION_EVENTS.name(), partition);
        }
        if (now == leader) {
            ctx.problem("station-events-" + partition + " still led by killed node " + leader + " after 45 s");
        } else {
            ctx.proved("station-events-" + partition + " led by node " + now + " after " + (System.nanoTime() - killed) / 1_000_000_000 + " s");
        }
        ctx.cluster().restart(leader);
        ctx.cluster().awaitAllRunningBrokers(Duration.ofMinutes(2));
    }

    /** Two of three nodes down for longer than the producers' delivery timeout: no quorum, no writes. */
    static Scenario twoBrokersDown(Duration down) {
        return scenario("two-brokers-down-" + down.toMinutes() + "min", "two of three nodes SIGKILLed for " + down.toSeconds() + " s", ctx -> {
            ctx.atLoad(0.3);
            List<Integer> nodes = ctx.cluster().nodeIds().subList(0, 2);
            for (int node : nodes) {
                long pid = ctx.cluster().pid(node);
                ctx.proved("node " + node + " (pid " + pid + ") killed, exit " + ctx.cluster().kill(node));
            }
            FaultRun.Context.sleep(down);
            for (int node : nodes) {
                ctx.cluster().restart(node);
            }
            ctx.cluster().awaitAllRunningBrokers(Duration.ofMinutes(3));
            ctx.proved("both back after " + down.toSeconds() + " s");
        });
    }

    static Scenario agentKilled(int times) {
        return scenario("agent-kill-x" + times, "the agent of AA-01 SIGKILLed mid-publish " + times + " times", ctx -> {
            for (int i = 0; i < times; i++) {
                ctx.atLoad((i + 0.5) / (times + 1));
                killAgent(ctx, "AA-01");
            }
        });
    }

    static void killAgent(FaultRun.Context ctx, String station) throws InterruptedException {
        long pid = ctx.platform().pidOf("agent-" + station);
        int exit = ctx.platform().killAgent(station);
        ctx.proved("agent " + station + " pid " + pid + " exit " + exit);
        FaultRun.Context.sleep(Duration.ofSeconds(2));
        ctx.platform().startAgent(station);
    }

    static Scenario analyticsKilled(int times) {
        return scenario("analytics-kill-x" + times, "the analytics app SIGKILLed mid-load " + times + " times", ctx -> {
            for (int i = 0; i < times; i++) {
                ctx.atLoad((i + 0.5) / (times + 1));
                killAnalytics(ctx);
            }
        });
    }

    static void killAnalytics(FaultRun.Context ctx) throws InterruptedException {
        long pid = ctx.platform().pidOf("analytics");
        int exit = ctx.platform().killAnalytics();
        ctx.proved("analytics pid " + pid + " exit " + exit);
        FaultRun.Context.sleep(Duration.ofSeconds(3));
        ctx.platform().startAnalytics();
    }

    static Scenario serviceKilled(int times) {
        return scenario("service-kill-x" + times, "the service SIGKILLed mid-store " + times + " times", ctx -> {
            for (int i = 0; i < times; i++) {
                ctx.atLoad((i + 0.5) / (times + 1));
                long pid = ctx.platform().pidOf("platform-service");
                ctx.proved("service pid " + pid + " exit " + ctx.platform().killService());
                ctx.platform().startService();
            }
        });
    }

    static Scenario postgresStopped(Duration down) {
        return scenario("postgres-stopped-" + down.toMinutes() + "min", "PostgreSQL stopped immediately for " + down.toSeconds() + " s", ctx -> {
            ctx.atLoad(0.3);
            stopPostgres(ctx, down);
        });
    }

    static void stopPostgres(FaultRun.Context ctx, Duration down) throws InterruptedException {
        long pid = ctx.platform().postgres().stopImmediately();
        ctx.proved("PostgreSQL postmaster pid " + pid + " stopped (immediate)" + (ProcessHandle.of(pid).isPresent() ? " BUT STILL ALIVE" : ""));
        FaultRun.Context.sleep(down);
        ctx.platform().postgres().restart();
        ctx.proved("PostgreSQL back after " + down.toSeconds() + " s");
    }

    /** Once everything is judged and stored, every station event is delivered a second time. */
    static Scenario everyEventTwice() {
        return new Scenario() {
            @Override
            public String name() {
                return "every-event-twice";
            }

            @Override
            public String description() {
                return "every station event delivered a second time (the topic replayed onto itself)";
            }

            @Override
            public void faults(FaultRun.Context ctx) {
                ctx.proved("load without fault first");
            }

            @Override
            public void afterSettle(FaultRun.Context ctx) throws Exception {
                List<ConsumerRecord<String, byte[]>> all = Ledger.readAll(ctx.platform().bootstrapServers(), Topics.STATION_EVENTS.name());
                try (KafkaProducer<String, byte[]> producer = producer(ctx)) {
                    for (ConsumerRecord<String, byte[]> r : all) {
                        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
                    }
                    producer.flush();
                }
                ctx.proved(all.size() + " station events delivered a second time");
                FaultRun.Context.sleep(Duration.ofSeconds(20));
            }
        };
    }

    /**
     * AA-02's agent is down while its tester writes 8 h of runs (simulated time; AA-01 runs 8 h later), then drains the
     * backlog: every run of it counts, in the hour it started (the grace is 72 h).
     */
    static Scenario agentOfflineEightHours() {
        return new Scenario() {
            @Override
            public String name() {
                return "agent-offline-8h";
            }

            @Override
            public String description() {
                return "AA-02's agent offline while 8 h of its runs are written, then draining the backlog";
            }

            @Override
            public LocalPlatform.Tuning tune(LocalPlatform.Tuning t) {
                return t.withStationStarts(Map.of("AA-01", FaultRun.T0.plus(Duration.ofHours(8)), "AA-02", FaultRun.T0));
            }

            @Override
            public void faults(FaultRun.Context ctx) throws Exception {
                long pid = ctx.platform().pidOf("agent-AA-02");
                ctx.proved("agent AA-02 pid " + pid + " exit " + ctx.platform().killAgent("AA-02"));
                ctx.atLoad(1.0);
                while (!ctx.platform().simulatorsDone()) {
                    FaultRun.Context.sleep(Duration.ofSeconds(1));
                }
                FaultRun.Context.sleep(Duration.ofSeconds(10));
                Path input = ctx.platform().workDir().toAbsolutePath().resolve("stations/AA-02/input");
                long waiting;
                try (var files = Files.list(input)) {
                    waiting = files.filter(p -> p.toString().endsWith(".align")).count();
                }
                ctx.proved(waiting + " result files of AA-02 waited while AA-01 ran 8 h later");
                ctx.platform().startAgent("AA-02");
            }

            @Override
            public void verify(FaultRun.Context ctx, Ledger.Report report, Ledger ledger) {
                List<ConsumerRecord<String, byte[]>> corrections = Ledger.readAll(ctx.platform().bootstrapServers(), Topics.CORRECTIONS.name());
                long backlog = corrections.stream().filter(r -> r.key() != null && r.key().contains("AA-02")).count();
                if (backlog > 0) {
                    ctx.problem(backlog + " corrections for AA-02's backlog: it should count in its own hours (grace 72 h)");
                }
            }
        };
    }

    /** N undecodable and M decodable-but-invalid records among the good ones: exactly N + M dead letters, each with its reason. */
    static Scenario poisonMix(int undecodable, int invalid) {
        return new Scenario() {
            @Override
            public String name() {
                return "poison-" + undecodable + "+" + invalid;
            }

            @Override
            public String description() {
                return undecodable + " undecodable and " + invalid + " invalid records among the good ones";
            }

            @Override
            public void faults(FaultRun.Context ctx) throws Exception {
                ctx.atLoad(0.4);
                injectPoison(ctx, undecodable, invalid);
            }

            @Override
            public void verify(FaultRun.Context ctx, Ledger.Report report, Ledger ledger) {
                checkDeadLetters(ctx, undecodable + invalid);
            }
        };
    }

    static void injectPoison(FaultRun.Context ctx, int undecodable, int invalid) throws Exception {
        EventCodec codec = EventCodec.standard();
        List<byte[]> bad = new ArrayList<>();
        for (int i = 0; i < undecodable; i++) {
            bad.add(("not an event #" + i).getBytes(StandardCharsets.UTF_8));
        }
        Instant t = FaultRun.T0;
        for (int i = 0; i < invalid; i++) {
            String runId = "POISON/P" + i + "/ALIGN/1";
            bad.add(codec.encode(switch (i % 5) {
                case 0 -> RunStarted.newBuilder().setEventId("poison:" + i).setEventTime(t).setRunId(runId).setSerial("P" + i).setProduct("CPO-OE16")
                        .setLot("LP").setStation("AA-01").setOperator("op").setOperation(Operation.ALIGN).setAttempt(1)
                        .setLimitSetId("CPO-OE16/ALIGN").setChannelCount(-1).build();
                case 1 -> RunStarted.newBuilder().setEventId("poison:" + i).setEventTime(t).setRunId(runId).setSerial("../x").setProduct("CPO-OE16")
                        .setLot("LP").setStation("AA-01").setOperator("op").setOperation(Operation.ALIGN).setAttempt(1)
                        .setLimitSetId("CPO-OE16/ALIGN").setChannelCount(16).build();
                case 2 -> BurnInReading.newBuilder().setEventId("poison:" + i).setEventTime(t).setRunId(runId).setSerial("P" + i).setStation("BI-01")
                        .setSlot(1).setChannel(0).setPowerDbm(1).setBiasCurrentMa(50).setCaseTemperatureC(85).build();
                case 3 -> RunCompleted.newBuilder().setEventId("poison:" + i).setEventTime(t).setRunId(runId).setSerial("P" + i).setStation("AA-01")
                        .setOperation(Operation.ALIGN).setAborted(false).setMeasurementEvents(-1).build();
                default -> AlignmentResult.newBuilder().setEventId("poison:" + i).setEventTime(t).setRunId(runId).setSerial("P" + i)
                        .setStation("AA-01").setStep(AlignmentStep.PRE_CURE).setChannels(List.of(new ChannelAlignment(1, Double.NaN, 0.1)))
                        .build();
            }));
        }
        try (KafkaProducer<String, byte[]> producer = producer(ctx)) {
            int i = 0;
            for (byte[] value : bad) {
                producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), "POISON-" + (i++), value)).get();
            }
        }
        ctx.proved(undecodable + " undecodable and " + invalid + " invalid records published to " + Topics.STATION_EVENTS.name());
    }

    /** The dead-letter topic holds exactly {@code expected} records, each naming its reason and source. */
    static void checkDeadLetters(FaultRun.Context ctx, int expected) {
        List<ConsumerRecord<String, byte[]>> dead = Ledger.readAll(ctx.platform().bootstrapServers(), Topics.DEAD_LETTER.name());
        if (dead.size() != expected) {
            ctx.problem(Topics.DEAD_LETTER.name() + " holds " + dead.size() + " records, " + expected + " were poison");
        }
        for (ConsumerRecord<String, byte[]> r : dead) {
            var reason = r.headers().lastHeader(Topics.HEADER_DLQ_REASON);
            if (reason == null || reason.value().length == 0) {
                ctx.problem("dead letter at offset " + r.offset() + " has no reason");
            }
        }
        ctx.proved(dead.size() + " dead letters, each with its reason");
    }

    /** The agent's spool lives on a small filesystem that fills up mid-load, then is freed. */
    static Scenario agentDiskFull() {
        return new Scenario() {
            private Path spool;

            @Override
            public String name() {
                return "agent-disk-full";
            }

            @Override
            public String description() {
                return "AA-01's spool filesystem (a 48 MiB tmpfs) filled to the last byte for 20 s";
            }

            @Override
            public void prepare(FaultRun.Context ctx) throws Exception {
                spool = ctx.work().resolve("platform/stations/AA-01/spool");
                Files.createDirectories(spool);
                run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", spool.toString());
                ctx.proved("tmpfs of 48 MiB mounted on " + spool);
            }

            @Override
            public LocalPlatform.Tuning tune(LocalPlatform.Tuning t) {
                return t.withAgentArgs(Map.of("AA-01", List.of("--spool-min-free-disk-bytes", "1048576")));
            }

            @Override
            public void faults(FaultRun.Context ctx) throws Exception {
                ctx.atLoad(0.3);
                Path filler = spool.resolve("filler");
                try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
                    byte[] block = new byte[1 << 20];
                    try {
                        while (true) {
                            f.write(block);
                        }
                    } catch (IOException full) {
                        ctx.proved("spool filesystem full after " + (f.length() >> 20) + " MiB of filler: " + full.getMessage()
                                + "; free " + Files.getFileStore(spool).getUsableSpace() + " bytes");
                    }
                }
                FaultRun.Context.sleep(Duration.ofSeconds(20));
                String health = agentHealth(ctx, "AA-01");
                ctx.proved("agent health while full: " + health);
                if (!health.contains("DOWN")) {
                    ctx.problem("the agent did not report itself unhealthy with a full disk: " + health);
                }
                Files.delete(filler);
                ctx.proved("filler removed");
            }

            @Override
            public void cleanUp(FaultRun.Context ctx) {
                try {
                    run("umount", "-l", spool.toString());
                } catch (Exception e) {
                    // reported by the next mount
                }
            }
        };
    }

    /** Tester files written to hurt, among the good ones: each quarantined with its reason, none obeyed. */
    static Scenario hostileTesterFiles() {
        return scenario("hostile-tester-files", "serials ../x, a/b, 10 kB, invalid UTF-8 and a 200 MB file among the good files", ctx -> {
            ctx.atLoad(0.4);
            writeHostileFiles(ctx);
            FaultRun.Context.sleep(Duration.ofSeconds(10));
            checkQuarantine(ctx, 5);
        });
    }

    static void writeHostileFiles(FaultRun.Context ctx) throws IOException {
        Path input = ctx.platform().workDir().toAbsolutePath().resolve("stations/AA-01/input");
        String template = """
                [header]
                serial=%s
                lot=LH
                product=CPO-OE16
                station=AA-01
                operator=op01
                limit_set=CPO-OE16/ALIGN
                attempt=1
                start=2026-11-24T06:00:00Z
                end=2026-11-24T06:01:00Z
                channels=1
                [results]
                step,channel,coupling_loss_db,pdl_db
                PRE_CURE,1,1.2,0.1
                POST_UV,1,1.2,0.1
                POST_THERMAL,1,1.2,0.1
                [end]
                """;
        Files.writeString(input.resolve("HOSTILE-DOTS_1.align"), template.formatted("../x"));
        Files.writeString(input.resolve("HOSTILE-SLASH_1.align"), template.formatted("a/b"));
        Files.writeString(input.resolve("HOSTILE-LONG_1.align"), template.formatted("S".repeat(10_000)));
        Files.write(input.resolve("HOSTILE-LATIN1_1.align"), template.formatted("H1").replace("op01", "Jos\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        try (RandomAccessFile big = new RandomAccessFile(input.resolve("HOSTILE-BIG_1.align").toFile(), "rw")) {
            big.setLength(200L << 20);
        }
        ctx.proved("5 hostile files written to AA-01's input");
    }

    static void checkQuarantine(FaultRun.Context ctx, int expected) throws IOException {
        Path quarantine = ctx.platform().workDir().toAbsolutePath().resolve("stations/AA-01/quarantine");
        long reasons;
        try (var files = Files.list(quarantine)) {
            reasons = files.filter(p -> p.getFileName().toString().startsWith("HOSTILE-") && p.toString().endsWith(".reason")).count();
        }
        if (reasons != expected) {
            ctx.problem(reasons + " of " + expected + " hostile files quarantined with a reason");
        }
        ctx.proved(reasons + " hostile files quarantined with their reasons");
    }

    /** The short version: a leader killed, the agent killed, the analytics app killed, poison and hostile files, in one run. */
    static Scenario combined() {
        return new Scenario() {
            @Override
            public String name() {
                return "quick-combined";
            }

            @Override
            public String description() {
                return "one of each: broker leader, agent and analytics SIGKILLed, poison records, hostile tester files";
            }

            @Override
            public void faults(FaultRun.Context ctx) throws Exception {
                ctx.atLoad(0.15);
                killLeader(ctx, 0);
                ctx.atLoad(0.35);
                killAgent(ctx, "AA-01");
                injectPoison(ctx, 2, 3);
                ctx.atLoad(0.55);
                killAnalytics(ctx);
                ctx.atLoad(0.7);
                writeHostileFiles(ctx);
            }

            @Override
            public void verify(FaultRun.Context ctx, Ledger.Report report, Ledger ledger) throws Exception {
                checkDeadLetters(ctx, 5);
                checkQuarantine(ctx, 5);
                ledgerSeesALoss(ctx, ledger);
            }
        };
    }

    /** The ledger's own check: one verdict row removed from PostgreSQL must show as exactly one loss, named. */
    static void ledgerSeesALoss(FaultRun.Context ctx, Ledger ledger) throws Exception {
        String runId;
        try (var c = ctx.platform().postgres().dataSource().getConnection(); var s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT run_id FROM verdicts ORDER BY id LIMIT 1")) {
                rs.next();
                runId = rs.getString(1);
            }
            s.execute("DELETE FROM failed_checks WHERE verdict_id IN (SELECT id FROM verdicts WHERE run_id = '" + runId + "')");
            s.execute("DELETE FROM verdicts WHERE run_id = '" + runId + "'");
        }
        Ledger.Report after = ledger.check();
        if (after.lost() != 1 || after.examples().stream().noneMatch(e -> e.contains(runId))) {
            ctx.problem("the ledger did not see the verdict row of " + runId + " removed: " + after);
        } else {
            ctx.proved("the ledger saw the verdict row of " + runId + " removed as 1 loss");
        }
    }

    private static KafkaProducer<String, byte[]> producer(FaultRun.Context ctx) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.platform().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static String agentHealth(FaultRun.Context ctx, String station) {
        String url = ctx.platform().agentStatusUrls().get(station);
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }
}
