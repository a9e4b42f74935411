package com.cpo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import com.cpo.embedded.EmbeddedKafka;

/**
 * The framework's own ceiling on this machine: a Kafka Streams application that only copies records from
 * one topic to another, with the analytics application's settings (exactly_once_v2, the same commit
 * interval, one stream thread), on the same broker and the same records. What the analytics topology
 * adds (decoding, state, verdicts, statistics) is measured against this.
 */
final class StreamsPassThrough {

    private static final String IN = "bench.passthrough-in";
    private static final String OUT = "bench.passthrough-out";

    private StreamsPassThrough() {
    }

    /**
     * Creates the topics well before they are used: a new topic's first sends can meet NOT_LEADER_OR_FOLLOWER,
     * and an idempotent producer's retries then loop on OUT_OF_ORDER_SEQUENCE_NUMBER (seen here).
     */
    static void createTopics(EmbeddedKafka kafka, int partitions) {
        List<NewTopic> topics = new java.util.ArrayList<>();
        for (String round : ROUNDS) {
            topics.add(new NewTopic(IN + round, partitions, (short) 1));
            topics.add(new NewTopic(OUT + round, partitions, (short) 1));
        }
        kafka.createTopics(topics);
    }

    /** A warm-up round (its figure is not used) and the measured one, each on topics of its own. */
    static final List<String> ROUNDS = List.of("-warmup", "-measured");

    /**
     * Records per second copied, from the first record consumed to the last committed on the output.
     *
     * @param round one of {@link #ROUNDS}
     */
    static double run(EmbeddedKafka kafka, Path work, List<byte[][]> runs, int recordsPerRun, String round) throws Exception {
        String in = IN + round;
        String out = OUT + round;
        long total = 0;
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            for (byte[][] run : runs) {
                String key = new String(run[recordsPerRun], java.nio.charset.StandardCharsets.UTF_8);
                for (int i = 0; i < recordsPerRun; i++) {
                    producer.send(new ProducerRecord<>(in, key, run[i]));
                    total++;
                }
            }
            producer.flush();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("passthrough-source"))
                .to(out, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("passthrough-sink"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-passthrough-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("cpo.analytics.commit-interval-ms", com.cpo.analytics.AnalyticsApp.DEFAULT_COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("cpo.analytics.stream-threads", 1));
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(work, "passthrough-").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-passthrough-counter-" + System.nanoTime());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> counter = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            counter.subscribe(List.of(out));
            long start = System.nanoTime();
            streams.start();
            long seen = 0;
            long first = -1;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < total) {
                int n = counter.poll(Duration.ofMillis(50)).count();
                if (n > 0 && first < 0) {
                    first = System.nanoTime();
                }
                seen += n;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("pass-through copied only " + seen + " of " + total + " records in 10 min");
                }
            }
            long end = System.nanoTime();
            // from the first committed output: the application's start-up and rebalance are not throughput
            System.err.printf(java.util.Locale.ROOT, "  pass-through: %,d records copied in %.1f s (%.1f s to start)%n", total,
                    (end - first) / 1e9, (first - start) / 1e9);
            return total / ((end - first) / 1e9);
        }
    }
}
