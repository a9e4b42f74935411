package com.cpo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;

import com.cpo.embedded.EmbeddedKafka;

/**
 * Kafka's own {@code ProducerPerformance} and {@code ConsumerPerformance} (kafka-tools at the broker's
 * version) against a broker, each in its own JVM as a real client would be: the baseline every other
 * benchmark divides by, measured in the same run.
 */
public final class KafkaBaseline {

    /** Figures of one baseline run. */
    public record Figures(long producerRecordsPerS, long producerBytesPerS, long consumerRecordsPerS) {
    }

    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "^(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\)");

    private KafkaBaseline() {
    }

    /**
     * Runs the producer then the consumer benchmark on a fresh topic.
     *
     * @param records records to produce and consume
     * @param recordSize bytes per record
     */
    public static Figures run(EmbeddedKafka kafka, long records, int recordSize, int partitions) throws Exception {
        String topic = "bench-raw-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)));
        List<String> producerOut = runTool("org.apache.kafka.tools.ProducerPerformance", List.of(
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + kafka.bootstrapServers(), "acks=all",
                "enable.idempotence=true", "linger.ms=5", "batch.size=65536"));
        double producerRecordsPerS = -1;
        for (String line : producerOut) {
            Matcher m = PRODUCER_SUMMARY.matcher(line.trim());
            if (m.find() && Long.parseLong(m.group(1)) == records) {
                producerRecordsPerS = Double.parseDouble(m.group(2));
            }
        }
        if (producerRecordsPerS < 0) {
            throw new IllegalStateException("no summary line in ProducerPerformance output:\n" + String.join("\n", producerOut));
        }
        List<String> consumerOut = runTool("org.apache.kafka.tools.ConsumerPerformance", List.of(
                "--bootstrap-server", kafka.bootstrapServers(), "--topic", topic, "--messages", Long.toString(records),
                "--timeout", "60000"));
        long consumerRecordsPerS = parseConsumer(consumerOut);
        return new Figures(Math.round(producerRecordsPerS), Math.round(producerRecordsPerS * recordSize), consumerRecordsPerS);
    }

    /** ConsumerPerformance prints a CSV header then one line of values; nMsg.sec is the overall records/s. */
    private static long parseConsumer(List<String> out) {
        for (int i = 0; i < out.size() - 1; i++) {
            if (out.get(i).contains("nMsg.sec")) {
                String[] names = out.get(i).split(",\\s*");
                String[] values = out.get(i + 1).split(",\\s*");
                for (int c = 0; c < names.length && c < values.length; c++) {
                    if (names[c].trim().equals("nMsg.sec")) {
                        return Math.round(Double.parseDouble(values[c].trim()));
                    }
                }
            }
        }
        throw new IllegalStateException("no nMsg.sec in ConsumerPerformance output:\n" + String.join("\n", out));
    }

    static List<String> runTool(String mainClass, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                System.err.println("  [" + mainClass.substring(mainClass.lastIndexOf('.') + 1) + "] " + line);
            }
        }
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(mainClass + " exited with " + status);
        }
        return lines;
    }
}
