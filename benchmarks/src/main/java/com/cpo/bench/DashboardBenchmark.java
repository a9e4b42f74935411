package com.cpo.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventSerializer;
import com.cpo.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./benchmarks/run dashboard}: the delay from a verdict on its topic to the dashboard page, under a steady
 * load. The page is the real one ({@code /dashboard.html?trace=1}) in Debian's headless chromium: for each verdict it
 * notes when the frame that shows it was due, after the whole page re-rendered; those are {@code update_delay_*}. The packaged service runs as its own JVM on an embedded broker and PostgreSQL (it stores every
 * verdict, as in production); verdicts are published at a fixed rate, each with its record timestamp set at send;
 * a dashboard client on {@code /api/live} (the page's own stream) takes each {@code verdict} event's arrival minus
 * that timestamp ({@code stream_delay_*}: the stream alone, without the page's work). Baseline, in the same run and on the same records: a plain Kafka consumer with the feed's
 * settings (assign, 10 ms fetch wait, read_committed), the least any consumer of the topic can see.
 *
 * <p>Settings (system properties): {@code bench.rate} verdicts/s (default 100), {@code bench.seconds} measured
 * seconds (30) after {@code bench.warmup-seconds} (5). The working folder (broker log, database) is deleted at the end.
 */
final class DashboardBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardBenchmark() {
    }

    static void run() throws Exception {
        int rate = Integer.getInteger("bench.rate", 100);
        int seconds = Integer.getInteger("bench.seconds", 30);
        int warmup = Integer.getInteger("bench.warmup-seconds", 5);
        Path work = BenchFiles.newWorkDir("dashboard");
        Files.createDirectories(work.resolve("tmp"));
        Path serviceJar = ServiceProcess.jar();
        System.err.printf(Locale.ROOT, "dashboard: %d verdicts/s for %d s (after %d s warm-up), service %s, work %s%n", rate, seconds,
                warmup, serviceJar, work);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work); EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(work, "cpo")) {
            runWith(kafka, postgres, serviceJar, work, rate, seconds, warmup);
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    private static void runWith(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Path serviceJar, Path work, int rate, int seconds,
            int warmup) throws Exception {
        kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
        try (ServiceProcess service = ServiceProcess.start(work, "platform-service", kafka, postgres, List.of("-Xmx384m", "-XX:+UseSerialGC"),
                Duration.ofSeconds(120))) {
            System.err.println("  service ready at " + service.url());
            measure(kafka, service, rate, seconds, warmup);
        }
    }

    private static void measure(EmbeddedKafka kafka, ServiceProcess service, int rate, int seconds, int warmup) throws Exception {
        String url = service.url();
        List<Long> sse = Collections.synchronizedList(new ArrayList<>());
        List<Long> baseline = Collections.synchronizedList(new ArrayList<>());
        AtomicLong measureFromMs = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);

        // the dashboard client: the page's stream, parsed as EventSource does
        CompletableFuture<Void> snapshot = new CompletableFuture<>();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(
                service.session().request("/api/live").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        stream.thenAcceptAsync(response -> {
            String event = null;
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    long now = System.currentTimeMillis();
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "snapshot".equals(event)) {
                        snapshot.complete(null);
                    } else if (line.startsWith("data:") && "verdict".equals(event)) {
                        Instant published = Instant.parse(JSON.readTree(line.substring(5)).path("publishedAt").asText());
                        if (published.toEpochMilli() >= measureFromMs.get()) {
                            sse.add(now - published.toEpochMilli());
                        }
                    } else if (line.isEmpty()) {
                        event = null;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running.get()) {
                    System.err.println("  dashboard stream ended: " + e);
                }
            }
        });
        snapshot.get(30, TimeUnit.SECONDS);

        // the page: the dashboard in headless chromium, tracing when each verdict is on screen
        Path profile = Files.createTempDirectory(Path.of("target/bench").toAbsolutePath(), "chromium-");
        ChromeDriverService driverService = new ChromeDriverService.Builder().usingDriverExecutable(requireFile("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(requireFile("/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,2600", "--user-data-dir=" + profile);
        ChromeDriver browser = new ChromeDriver(driverService, options);
        List<Long> page = new ArrayList<>();
        long sent;
        try {
            // the page as a line screen shows it: a read-only link issued by the administrator, nobody logged in
            HttpResponse<String> issued = service.session().postJson("/api/screens", "{\"name\":\"dashboard benchmark\"}");
            if (issued.statusCode() != 201) {
                throw new IllegalStateException("cannot issue a screen link: " + issued.statusCode() + " " + issued.body());
            }
            browser.get(url + "/" + JSON.readTree(issued.body()).path("url").asText() + "&trace=1");
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(
                    ((JavascriptExecutor) d).executeScript("return Array.isArray(window.cpoTrace)")));
            sent = runLoad(kafka, rate, seconds, warmup, sse, baseline, measureFromMs, running, browser, page);
        } finally {
            browser.quit();
            BenchFiles.deleteTree(profile);
        }
        running.set(false);
        stream.thenAccept(r -> r.body().close());

        List<Long> s = sorted(sse);
        List<Long> b = sorted(baseline);
        List<Long> p = sorted(page);
        System.out.println("verdicts_per_s: " + rate);
        System.out.println("measured_seconds: " + seconds);
        System.out.println("verdicts_sent: " + sent);
        System.out.println("baseline_consumer_records: " + b.size());
        System.out.println("baseline_consumer_delay_p50_ms: " + percentile(b, 50));
        System.out.println("baseline_consumer_delay_p99_ms: " + percentile(b, 99));
        System.out.println("baseline_consumer_delay_max_ms: " + percentile(b, 100));
        System.out.println("stream_events: " + s.size());
        System.out.println("stream_delay_p50_ms: " + percentile(s, 50));
        System.out.println("stream_delay_p99_ms: " + percentile(s, 99));
        System.out.println("page_updates: " + p.size());
        System.out.println("update_delay_max_ms: " + percentile(p, 100));
        System.out.println("update_delay_p50_ms: " + percentile(p, 50));
        System.out.println("update_delay_p99_ms: " + percentile(p, 99));
    }

    private static java.io.File requireFile(String path) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing; the dashboard benchmark measures in Debian's chromium: "
                    + "sudo apt-get install -y chromium chromium-driver");
        }
        return Path.of(path).toFile();
    }

    /** Moves the page's trace into {@code page}: delays of the verdicts published since the measurement began. */
    @SuppressWarnings("unchecked")
    private static void drainTrace(ChromeDriver browser, long measureFromMs, List<Long> page) {
        List<List<Number>> entries = (List<List<Number>>) browser.executeScript("return window.cpoTrace.splice(0)");
        for (List<Number> e : entries) {
            long published = e.get(0).longValue();
            if (published >= measureFromMs) {
                page.add(e.get(1).longValue() - published);
            }
        }
    }

    /** Sends verdicts at the rate while the three observers measure; returns how many were sent. */
    private static long runLoad(EmbeddedKafka kafka, int rate, int seconds, int warmup, List<Long> sse, List<Long> baseline,
            AtomicLong measureFromMs, AtomicBoolean running, ChromeDriver browser, List<Long> page) throws Exception {

        // the baseline: a plain consumer of the verdicts topic with the feed's settings
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        Thread baselineThread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.VERDICTS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        if (r.timestamp() >= measureFromMs.get()) {
                            baseline.add(now - r.timestamp());
                        }
                    }
                }
            }
        }, "baseline-consumer");
        baselineThread.start();

        // the load: verdicts at a fixed rate, 10 sends every 100 ms at 100/s
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        AtomicLong sent = new AtomicLong();
        long startMs = System.currentTimeMillis();
        measureFromMs.set(startMs + warmup * 1000L);
        long endMs = measureFromMs.get() + seconds * 1000L;
        int perTick = Math.max(1, rate / 100);
        long tickMicros = 1_000_000L * perTick / rate;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, Verdict> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new EventSerializer<>())) {
            ticker.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick; i++) {
                    long n = sent.incrementAndGet();
                    long now = System.currentTimeMillis();
                    Verdict v = verdict(n, now);
                    producer.send(new ProducerRecord<>(Topics.VERDICTS.name(), null, now, v.getSerial(), v));
                }
            }, 0, tickMicros, TimeUnit.MICROSECONDS);
            long lastReport = 0;
            while (System.currentTimeMillis() < endMs) {
                TimeUnit.MILLISECONDS.sleep(200);
                drainTrace(browser, measureFromMs.get(), page);
                long elapsed = (System.currentTimeMillis() - startMs) / 1000;
                if (elapsed >= lastReport + 5) {
                    lastReport = elapsed;
                    System.err.printf(Locale.ROOT, "  %3d s: %,d verdicts sent, %,d measured on the page, %,d on the stream, %,d by the baseline consumer%n",
                            elapsed, sent.get(), page.size(), sse.size(), baseline.size());
                }
            }
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            producer.flush();
        }
        // let the last ones arrive
        long measuredSent = (long) rate * seconds;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline
                && (sse.size() < measuredSent * 0.99 || baseline.size() < measuredSent * 0.99 || page.size() < measuredSent * 0.99)) {
            TimeUnit.MILLISECONDS.sleep(100);
            drainTrace(browser, measureFromMs.get(), page);
        }

        drainTrace(browser, measureFromMs.get(), page);
        running.set(false);
        baselineThread.join(5_000);
        return sent.get();
    }

    private static Verdict verdict(long n, long nowMs) {
        String serial = String.format(Locale.ROOT, "BENCH-%08d", n);
        Instant now = Instant.ofEpochMilli(nowMs);
        return Verdict.newBuilder().setEventId("verdict:" + serial).setEventTime(now).setRunId(serial + "-ALIGN-1").setSerial(serial)
                .setProduct("CPO-OE16").setLot(String.format(Locale.ROOT, "LOT-%03d", n / 500)).setStation("AA-01")
                .setOperation(Operation.ALIGN).setAttempt(1).setRunStartTime(now.minusSeconds(60))
                .setOutcome(n % 10 == 0 ? Outcome.FAIL : Outcome.PASS).setLimitSetId("CPO-OE16/ALIGN").setLimitSetVersion(1)
                .setReason(null).setFailedChecks(List.of()).build();
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy;
        synchronized (values) {
            copy = new ArrayList<>(values);
        }
        Collections.sort(copy);
        return copy;
    }

    /** Nearest rank; -1 without samples. */
    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
