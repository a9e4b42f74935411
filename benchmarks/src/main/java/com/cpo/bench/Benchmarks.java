package com.cpo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.cpo.embedded.EmbeddedKafka;

/**
 * Entry point of {@code ./benchmarks/run NAME}. Each benchmark logs its progress on stderr and ends its
 * stdout with its figures, one {@code name: value} per line, the key figure last.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        switch (name) {
            case "kafka" -> kafka();
            case "agent" -> AgentBenchmark.run();
            case "pipeline" -> PipelineBenchmark.run();
            case "report" -> ReportBenchmark.run();
            case "dashboard" -> DashboardBenchmark.run();
            case "faults" -> FaultsBenchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "history" -> HistoryBenchmark.run();
            case "cluster" -> ClusterBenchmark.run();
            case "alarms" -> AlarmsBenchmark.run();
            case "whatif" -> WhatIfBenchmark.run();
            default -> {
                System.err.println("usage: ./benchmarks/run NAME, NAME one of: kafka, agent, pipeline, report, dashboard, faults, history, cluster, alarms, whatif");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** The raw broker baseline: 200-byte records, acks=all. */
    static void kafka() throws Exception {
        long records = Long.getLong("bench.records", 1_000_000L);
        Path work = Path.of("target/bench");
        Files.createDirectories(work);
        System.err.printf(Locale.ROOT, "kafka baseline: %,d records of 200 bytes, acks=all, embedded broker in %s%n", records, work.toAbsolutePath());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work)) {
            KafkaBaseline.Figures f = KafkaBaseline.run(kafka, records, 200, 3);
            System.out.println("records: " + records);
            System.out.println("record_size_bytes: 200");
            System.out.println("raw_producer_records_per_s: " + f.producerRecordsPerS());
            System.out.println("raw_producer_bytes_per_s: " + f.producerBytesPerS());
            System.out.println("raw_consumer_records_per_s: " + f.consumerRecordsPerS());
        }
    }
}
