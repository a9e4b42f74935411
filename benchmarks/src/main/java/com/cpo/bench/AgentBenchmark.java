package com.cpo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.admin.NewTopic;

import com.cpo.agent.AgentConfig;
import com.cpo.agent.StationAgent;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.embedded.EmbeddedKafka;

/**
 * {@code ./benchmarks/run agent}: measurements per second from tester files to Kafka-acknowledged, with
 * durability on (spool in SQLite WAL, {@code synchronous=FULL}, group commit; idempotent producer,
 * {@code acks=all}), against Kafka's own {@code ProducerPerformance} on the same broker in the same run
 * with the agent's average record size.
 *
 * <p>The input is what a line writes: burn-in rack logs (one reading per line, the bulk of the volume)
 * and alignment result files, all on disk before the agent starts, as after a long network outage. A
 * measurement is one measurement event: a burn-in reading, or one alignment step of a unit (all its
 * channels). The clock runs from the agent's start (JVM already warm from making the files, agent cold) to
 * the last acknowledgement.
 */
public final class AgentBenchmark {

    private AgentBenchmark() {
    }

    public static void run() throws Exception {
        int burnInUnits = Integer.getInteger("bench.agent.burnin-units", 64);
        int alignUnits = Integer.getInteger("bench.agent.align-units", 2_000);
        Path work = BenchFiles.newWorkDir("agent");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BenchFiles.deleteTree(work)));
        Path root = work;
        Path input = root.resolve("input");
        Files.createDirectories(input);

        BurnInSimulator rack = new BurnInSimulator(BurnInSimulator.Config.defaults(1).withStation("BENCH-01").withRack(16, 16)
                .withTiming(Duration.ofMinutes(1), Duration.ofHours(24)));
        // load by load, so only the readings (not the text of the log) stay in memory
        while (rack.made().stream().filter(r -> r.attempt() == 1).count() < burnInUnits) {
            BurnInSimulator.append(input.resolve("BENCH-01_rack.burnin"), rack.nextLoad());
        }
        AlignmentSimulator aligner = new AlignmentSimulator(AlignmentSimulator.Config.defaults(2).withStation("BENCH-01")
                .withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));
        List<SimulatedRun> runs = aligner.runUnits(alignUnits);
        runs.forEach(r -> aligner.write(r, input));
        long readings = rack.made().stream().mapToLong(r -> r.readings().size()).sum();
        long measurements = readings + runs.size() * 3L;
        long events = measurements + 2L * rack.made().size() + 2L * runs.size();
        System.err.printf(Locale.ROOT, "agent benchmark: %,d measurements (%,d burn-in readings, %,d alignment steps), %,d events, in %s%n",
                measurements, readings, runs.size() * 3L, events, input);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(work)) {
            String topic = "bench-agent-" + System.nanoTime();
            kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
            // warm the broker (its JIT, its log segments) so neither side pays for a cold broker
            System.err.println("warming the broker up");
            KafkaBaseline.run(kafka, 300_000, 150, 3);
            AgentConfig config = AgentConfig.defaults("BENCH-01", input).withKafka(kafka.bootstrapServers(), topic).withVerdicts(null, null)
                    .withStatusPort(-1).withSpool(root.resolve("spool"), 4L << 30);
            long started = System.nanoTime();
            long payloadBytes;
            try (StationAgent agent = new StationAgent(config)) {
                Thread intake = new Thread(agent::run, "agent");
                intake.start();
                long lastReport = started;
                while (agent.eventsAcknowledged() < events) {
                    Thread.sleep(20);
                    if (System.nanoTime() - lastReport > 2_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.err.printf(Locale.ROOT, "  %,d of %,d events acknowledged, %,d in the spool%n", agent.eventsAcknowledged(), events,
                                agent.spool().depth());
                    }
                    if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                        throw new IllegalStateException("agent did not finish within 10 minutes");
                    }
                }
                payloadBytes = agent.bytesAcknowledged();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long measurementsPerS = Math.round(measurements / seconds);
            long eventsPerS = Math.round(events / seconds);
            long bytesPerS = Math.round(payloadBytes / seconds);
            int recordSize = (int) Math.round(payloadBytes / (double) events);
            System.err.printf(Locale.ROOT, "agent: %,d events in %.2f s; baseline: ProducerPerformance with %d-byte records%n", events, seconds,
                    recordSize);
            KafkaBaseline.Figures raw = KafkaBaseline.run(kafka, events, recordSize, 3);
            System.out.println("measurements: " + measurements);
            System.out.println("events: " + events);
            System.out.println("record_size_bytes: " + recordSize);
            System.out.println("agent_seconds: " + String.format(Locale.ROOT, "%.2f", seconds));
            System.out.println("agent_events_per_s: " + eventsPerS);
            System.out.println("raw_producer_records_per_s: " + raw.producerRecordsPerS());
            System.out.println("agent_measurements_per_s: " + measurementsPerS);
            System.out.println("agent_bytes_per_s: " + bytesPerS);
            System.out.println("raw_producer_bytes_per_s: " + raw.producerBytesPerS());
            System.out.println("ratio: " + String.format(Locale.ROOT, "%.2f", bytesPerS / (double) raw.producerBytesPerS()));
        }
    }
}
