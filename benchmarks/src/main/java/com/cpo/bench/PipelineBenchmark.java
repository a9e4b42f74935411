package com.cpo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.cpo.analytics.AnalyticsApp;
import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;

/**
 * The analytics topology with exactly-once on a real broker: sustained throughput of station events
 * through the whole topology (verdicts, yield, statistics) — runs sent as fast as they are judged, the rate
 * taken over {@code bench.seconds} (30) after {@code bench.warmup-seconds} (30) of the same load — and the
 * latency from a run's completion event to its verdict on the output topic at a fixed offered load; against
 * Kafka's ProducerPerformance on the same broker with the same record size.
 *
 * <p>A <b>measurement</b> is one channel value (coupling loss of one channel at one step): an alignment
 * run of 16 channels carries 48 in 5 records. {@code ratio} is the issue's: pipeline measurements per
 * second over raw producer records per second at the pipeline's average record size. {@code records_ratio}
 * compares like with like, records per second over records per second. The raw producer is measured before
 * and after the pipeline and their mean taken.
 *
 * <p>A second yardstick, in the same run: a Kafka Streams application that only copies the same records
 * with the same settings ({@link StreamsPassThrough}) — what the framework itself costs on this machine,
 * before any of the topology's work.
 */
final class PipelineBenchmark {

    private static final int CHANNELS = 16;
    private static final int MEASUREMENTS_PER_RUN = 3 * CHANNELS;
    private static final int RECORDS_PER_RUN = 5;
    private static final EventCodec CODEC = EventCodec.standard();

    private PipelineBenchmark() {
    }

    static void run() throws Exception {
        // the pass-through's records (a warm-up round, then the measured one) and the record size
        int throughputRuns = Integer.getInteger("bench.runs", 40_000);
        int warmupRuns = Integer.getInteger("bench.warmup-runs", 10_000);
        int warmupSeconds = Integer.getInteger("bench.warmup-seconds", 30);
        int measureSeconds = Integer.getInteger("bench.seconds", 30);
        int offeredMeasurementsPerS = Integer.getInteger("bench.offered", 20_000);
        int latencySeconds = Integer.getInteger("bench.latency-seconds", 20);
        Path work = BenchFiles.newWorkDir("pipeline");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work)) {
            kafka.createTopics(com.cpo.schemas.TopicLayout.SINGLE_BROKER.newTopics());
            StreamsPassThrough.createTopics(kafka, 3);
            publishLimits(kafka);
            List<byte[][]> runs = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(1);
            long totalBytes = 0;
            List<byte[][]> warmup = new ArrayList<>();
            for (int i = 0; i < warmupRuns; i++) {
                warmup.add(encodedRun("W" + i, i, random));
            }
            for (int i = 0; i < throughputRuns; i++) {
                byte[][] run = encodedRun("T" + i, i, random);
                for (byte[] r : run) {
                    totalBytes += r.length;
                }
                runs.add(run);
            }
            int recordSize = (int) (totalBytes / ((long) throughputRuns * RECORDS_PER_RUN));
            System.err.printf(Locale.ROOT, "pipeline: %,d alignment runs (%,d records, avg %d bytes), exactly_once_v2%n", throughputRuns,
                    throughputRuns * RECORDS_PER_RUN, recordSize);

            System.err.println("raw baseline: ProducerPerformance with the same record size ...");
            KafkaBaseline.Figures rawBefore = KafkaBaseline.run(kafka, 500_000, recordSize, 3);

            System.err.println("framework baseline: a Kafka Streams pass-through with the same settings and records ...");
            StreamsPassThrough.run(kafka, work, warmup, RECORDS_PER_RUN, StreamsPassThrough.ROUNDS.get(0));
            double passThrough = StreamsPassThrough.run(kafka, work, runs, RECORDS_PER_RUN, StreamsPassThrough.ROUNDS.get(1));

            Path state = Files.createTempDirectory(work, "streams-");
            AnalyticsConfig config = AnalyticsConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
                    .withStateDir(state.toString()).withQueryPort(-1).withApplicationId("bench-" + System.nanoTime());
            try (AnalyticsApp app = AnalyticsApp.start(config); VerdictWatcher watcher = new VerdictWatcher(kafka.bootstrapServers())) {
                awaitRunning(app);
                // steady state, not a cold start: the JIT compiler (C2) still took 6-8 s of CPU in a 10 s window
                // after 10,000 warm-up runs, so the rate is taken over a window after a warm-up of its own, with
                // the input kept full (never more than MAX_OUTSTANDING_RUNS runs ahead of the verdicts)
                SteadyLoad load = new SteadyLoad(kafka, watcher);
                System.err.printf(Locale.ROOT, "throughput: runs as fast as the pipeline takes them, %d s warm-up, then %d s measured ...%n",
                        warmupSeconds, measureSeconds);
                load.start();
                report(watcher, warmupSeconds, "warm-up");
                long writtenBefore = internalRecords(kafka, config.applicationId());
                long cpuBefore = processCpuNanos();
                Map<String, Long> threadCpuBefore = cpuByThreadGroup();
                long countBefore = watcher.count();
                long start = System.nanoTime();
                report(watcher, measureSeconds, "measured");
                long measured = watcher.count() - countBefore;
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
                Map<String, Long> threadCpuAfter = cpuByThreadGroup();
                long written = internalRecords(kafka, config.applicationId()) - writtenBefore;
                threadCpuAfter.forEach((group, nanos) -> System.err.printf(Locale.ROOT, "  cpu %-28s %5.1f s of %.1f s%n", group,
                        (nanos - threadCpuBefore.getOrDefault(group, 0L)) / 1e9, seconds));
                long sent = load.stop();
                watcher.awaitCount(sent, Duration.ofSeconds(300));
                double runsPerS = measured / seconds;
                System.err.printf(Locale.ROOT, "  %,d runs judged in the %.1f s window; %,d sent in all, every one judged%n", measured, seconds,
                        sent);

                // the baseline again, right after: on a shared machine the two differ, and their mean is the fairer yardstick
                System.err.println("raw baseline again ...");
                KafkaBaseline.Figures rawAfter = KafkaBaseline.run(kafka, 500_000, recordSize, 3);
                long rawRecordsPerS = (rawBefore.producerRecordsPerS() + rawAfter.producerRecordsPerS()) / 2;
                KafkaBaseline.Figures raw = new KafkaBaseline.Figures(rawRecordsPerS, rawRecordsPerS * recordSize,
                        (rawBefore.consumerRecordsPerS() + rawAfter.consumerRecordsPerS()) / 2);

                System.err.printf(Locale.ROOT, "latency: %,d measurements/s offered for %d s ...%n", offeredMeasurementsPerS, latencySeconds);
                long[] latencies = offerAtFixedRate(kafka, watcher, offeredMeasurementsPerS, latencySeconds, sent);
                Arrays.sort(latencies);
                System.out.println("runs_measured: " + measured);
                System.out.printf(Locale.ROOT, "measured_seconds: %.1f%n", seconds);
                // CPU of this JVM (broker, producer, streams, watcher) per input record: steadier than wall time on a shared machine
                System.out.printf(Locale.ROOT, "cpu_us_per_input_record: %.1f%n", cpuSeconds * 1e6 / (measured * RECORDS_PER_RUN));
                System.out.printf(Locale.ROOT, "internal_records_per_input_record: %.2f%n", (double) written / (measured * RECORDS_PER_RUN));
                System.out.println("record_size_bytes: " + recordSize);
                System.out.printf(Locale.ROOT, "pipeline_records_per_s: %.0f%n", runsPerS * RECORDS_PER_RUN);
                System.out.println("raw_producer_records_per_s_before: " + rawBefore.producerRecordsPerS());
                System.out.println("raw_producer_records_per_s_after: " + rawAfter.producerRecordsPerS());
                System.out.println("raw_producer_bytes_per_s: " + raw.producerBytesPerS());
                System.out.printf(Locale.ROOT, "streams_passthrough_records_per_s: %.0f%n", passThrough);
                System.out.printf(Locale.ROOT, "passthrough_to_raw_ratio: %.3f%n", passThrough / raw.producerRecordsPerS());
                System.out.printf(Locale.ROOT, "pipeline_to_passthrough_ratio: %.3f%n", runsPerS * RECORDS_PER_RUN / passThrough);
                System.out.println("latency_samples: " + latencies.length);
                System.out.printf(Locale.ROOT, "offered_measurements_per_s: %d%n", offeredMeasurementsPerS);
                // like with like: pipeline records per second over raw records per second of the same size; what a
                // record costs in the topology beside what it costs to produce (the pass-through's ratio above is
                // the framework's own ceiling for this figure)
                System.out.printf(Locale.ROOT, "records_ratio: %.3f%n", runsPerS * RECORDS_PER_RUN / raw.producerRecordsPerS());
                System.out.printf(Locale.ROOT, "pipeline_measurements_per_s: %.0f%n", runsPerS * MEASUREMENTS_PER_RUN);
                System.out.println("raw_producer_records_per_s: " + raw.producerRecordsPerS());
                System.out.println("verdict_latency_p50_ms: " + percentile(latencies, 0.50));
                System.out.println("verdict_latency_p99_ms: " + percentile(latencies, 0.99));
                // the ratio: the two throughput lines above, pipeline measurements per second over raw
                // records per second; each pipeline record carries 9.6 measurements (a step's 16 channels)
                System.out.printf(Locale.ROOT, "ratio: %.3f%n", runsPerS * MEASUREMENTS_PER_RUN / raw.producerRecordsPerS());
            }
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    /** CPU time of this JVM's threads, summed by kind (stream thread, its producer, broker, ...). */
    private static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.contains("StreamThread") && name.contains("producer") ? "streams producer"
                    : name.contains("StreamThread") ? "stream thread"
                    : name.startsWith("kafka-producer-network-thread") ? "bench producer"
                    : name.startsWith("data-plane-kafka-request-handler") ? "broker request handlers"
                    : name.startsWith("data-plane-kafka-network-thread") ? "broker network"
                    : name.equals("main") ? "main (bench producer send)"
                    : name.startsWith("verdict-watcher") ? "verdict watcher"
                    : "other";
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byGroup.merge(group, cpu, Long::sum);
            }
        }
        return byGroup;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Records in the application's internal topics (changelogs, repartitions), transaction markers included. */
    private static long internalRecords(EmbeddedKafka kafka, String applicationId) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var request = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
            for (var topic : admin.describeTopics(admin.listTopics().names().get().stream().filter(t -> t.startsWith(applicationId)).toList())
                    .allTopicNames().get().values()) {
                for (var partition : topic.partitions()) {
                    request.put(new org.apache.kafka.common.TopicPartition(topic.name(), partition.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
            }
            long sum = 0;
            Map<String, Long> byTopic = new java.util.TreeMap<>();
            for (var entry : admin.listOffsets(request).all().get().entrySet()) {
                sum += entry.getValue().offset();
                byTopic.merge(entry.getKey().topic().substring(applicationId.length() + 1), entry.getValue().offset(), Long::sum);
            }
            System.err.println("  internal topics (records incl. transaction markers): " + byTopic);
            return sum;
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void awaitRunning(AnalyticsApp app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (app.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Prints the verdict rate every 10 s for {@code seconds}. */
    private static void report(VerdictWatcher watcher, int seconds, String phase) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long lastCount = watcher.count();
        long last = System.nanoTime();
        while (System.nanoTime() < end) {
            long remainingMs = (end - System.nanoTime()) / 1_000_000;
            if (remainingMs < 1_000) {
                Thread.sleep(Math.max(0, remainingMs));
                return;
            }
            Thread.sleep(Math.min(10_000, remainingMs));
            long now = System.nanoTime();
            long count = watcher.count();
            System.err.printf(Locale.ROOT, "  %s: %,.0f runs/s judged (%,d in all)%n", phase, (count - lastCount) / ((now - last) / 1e9), count);
            lastCount = count;
            last = now;
        }
    }

    /** Sends runs (encoded as it goes) as fast as the pipeline judges them, at most MAX_OUTSTANDING_RUNS ahead. */
    private static final class SteadyLoad {
        private static final int MAX_OUTSTANDING_RUNS = 5_000;
        private final EmbeddedKafka kafka;
        private final VerdictWatcher watcher;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final Thread thread;
        private volatile Exception failure;

        SteadyLoad(EmbeddedKafka kafka, VerdictWatcher watcher) {
            this.kafka = kafka;
            this.watcher = watcher;
            this.thread = new Thread(this::produce, "bench-load");
        }

        void start() {
            thread.start();
        }

        private void produce() {
            SplittableRandom random = new SplittableRandom(3);
            try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
                for (int i = 0; running.get(); i++) {
                    while (sent.get() - watcher.count() >= MAX_OUTSTANDING_RUNS && running.get()) {
                        Thread.sleep(1);
                    }
                    byte[][] run = encodedRun("S" + i, i, random);
                    String serial = new String(run[RECORDS_PER_RUN], java.nio.charset.StandardCharsets.UTF_8);
                    for (int r = 0; r < RECORDS_PER_RUN; r++) {
                        producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), serial, run[r]));
                    }
                    sent.incrementAndGet();
                }
                producer.flush();
            } catch (Exception e) {
                failure = e;
            }
        }

        /** Stops sending; the number of runs sent in all. */
        long stop() throws Exception {
            running.set(false);
            thread.join();
            if (failure != null) {
                throw failure;
            }
            return sent.get();
        }
    }

    /** Offers runs at a fixed rate; returns completion-to-verdict latencies, ms. */
    private static long[] offerAtFixedRate(EmbeddedKafka kafka, VerdictWatcher watcher, int measurementsPerS, int seconds, long firstIndex)
            throws Exception {
        double runsPerS = (double) measurementsPerS / MEASUREMENTS_PER_RUN;
        long intervalNs = (long) (1e9 / runsPerS);
        SplittableRandom random = new SplittableRandom(2);
        int total = (int) (runsPerS * seconds);
        long countBefore = watcher.count();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                byte[][] run = encodedRun("L" + i, (int) (firstIndex + i), random);
                String serial = new String(run[RECORDS_PER_RUN], java.nio.charset.StandardCharsets.UTF_8);
                for (int r = 0; r < RECORDS_PER_RUN - 1; r++) {
                    producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), serial, run[r]));
                }
                String runId = "AA-01/" + serial + "/ALIGN/1";
                watcher.expect(runId, System.nanoTime());
                producer.send(new ProducerRecord<>(Topics.STATION_EVENTS.name(), serial, run[RECORDS_PER_RUN - 1]));
                next += intervalNs;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            producer.flush();
        }
        watcher.awaitCount(countBefore + total, Duration.ofSeconds(120));
        return watcher.latenciesMs();
    }

    private static void publishLimits(EmbeddedKafka kafka) throws Exception {
        LimitSet limits = LimitSet.newBuilder().setLimitSetId("CPO-OE16/ALIGN").setVersion(1).setProduct("CPO-OE16")
                .setOperation(Operation.ALIGN).setEffectiveFrom(Instant.parse("2020-01-01T00:00:00Z")).setReleasedBy("bench")
                .setLimits(List.of(Limit.newBuilder().setParameter("coupling_loss").setUpperLimit(2.0).setUnitOfMeasure("dB").build(),
                        Limit.newBuilder().setParameter("cure_shift").setUpperLimit(0.3).setUnitOfMeasure("dB").build(),
                        Limit.newBuilder().setParameter("channel_spread").setUpperLimit(1.0).setUnitOfMeasure("dB").build()))
                .build();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(Topics.LIMITS.name(), "CPO-OE16/ALIGN@1", CODEC.encode(limits))).get();
        }
    }

    /** The 5 records of one run, then the serial's bytes. */
    private static byte[][] encodedRun(String serial, int index, SplittableRandom random) {
        String runId = "AA-01/" + serial + "/ALIGN/1";
        Instant start = Instant.parse("2026-11-24T06:00:00Z").plusMillis(index * 50L);
        List<SpecificRecord> events = new ArrayList<>();
        events.add(RunStarted.newBuilder().setEventId(runId + ":1").setEventTime(start).setRunId(runId).setSerial(serial)
                .setProduct("CPO-OE16").setLot("L" + (index / 25)).setStation("AA-0" + (1 + index % 4)).setOperator("op1")
                .setOperation(Operation.ALIGN).setAttempt(1).setLimitSetId("CPO-OE16/ALIGN").setChannelCount(CHANNELS).build());
        double[] pre = new double[CHANNELS];
        for (int ch = 0; ch < CHANNELS; ch++) {
            pre[ch] = 1.2 + 0.25 * Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        for (AlignmentStep step : AlignmentStep.values()) {
            List<ChannelAlignment> channels = new ArrayList<>();
            for (int ch = 0; ch < CHANNELS; ch++) {
                channels.add(new ChannelAlignment(ch + 1, Math.round((pre[ch] + 0.04 * step.ordinal()) * 1000) / 1000.0, 0.12));
            }
            events.add(AlignmentResult.newBuilder().setEventId(runId + ":" + (14 + step.ordinal() * 16)).setEventTime(start.plusSeconds(40))
                    .setRunId(runId).setSerial(serial).setStation("AA-01").setStep(step).setChannels(channels).build());
        }
        events.add(RunCompleted.newBuilder().setEventId(runId + ":66").setEventTime(start.plusSeconds(45)).setRunId(runId).setSerial(serial)
                .setStation("AA-01").setOperation(Operation.ALIGN).setAborted(false).setMeasurementEvents(3).build());
        byte[][] out = new byte[RECORDS_PER_RUN + 1][];
        for (int i = 0; i < RECORDS_PER_RUN; i++) {
            out[i] = CODEC.encode(events.get(i));
        }
        out[RECORDS_PER_RUN] = serial.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return out;
    }

    /** Reads the verdicts topic (read_committed) and times the runs it was told to expect. */
    private static final class VerdictWatcher implements AutoCloseable {
        private final AtomicLong count = new AtomicLong();
        private final Map<String, Long> expected = new ConcurrentHashMap<>();
        private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        VerdictWatcher(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-verdicts-" + System.nanoTime());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.VERDICTS.name()));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (var record : consumer.poll(Duration.ofMillis(20))) {
                            long now = System.nanoTime();
                            Verdict verdict = CODEC.decode(record.value(), Verdict.class);
                            Long sent = expected.remove(verdict.getRunId());
                            if (sent != null) {
                                latencies.add((now - sent) / 1_000_000);
                            }
                            count.incrementAndGet();
                        }
                    }
                }
            }, "verdict-watcher");
            thread.start();
        }

        void expect(String runId, long sentNanos) {
            expected.put(runId, sentNanos);
        }

        long count() {
            return count.get();
        }

        void awaitCount(long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + count.get() + " of " + n + " verdicts within " + timeout);
                }
                Thread.sleep(20);
            }
        }

        long[] latenciesMs() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
