package com.cpo.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.domain.Identifiers;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;

/**
 * Follows the verdicts topic and writes a verdict file for each verdict of this agent's station, exactly
 * once across restarts: the file is written and synced as {@code NAME.part}, then the verdict's id and
 * the topic offsets are committed to the spool database, then the file is renamed into place. On start,
 * a {@code .part} whose verdict was committed is renamed, any other is removed (its verdict is read
 * again from the stored offset). Offsets live in the spool, not in a consumer group, so there is no
 * group rebalance to wait for and a verdict file follows its verdict within a poll (200 ms).
 */
final class VerdictFollower implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(VerdictFollower.class);
    private static final String PART = ".part";

    private final AgentConfig config;
    private final Spool spool;
    private final AgentMetrics metrics;
    private final EventCodec codec = EventCodec.standard();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    VerdictFollower(AgentConfig config, Spool spool, AgentMetrics metrics) {
        this.config = config;
        this.spool = spool;
        this.metrics = metrics;
    }

    /** Completes or removes the {@code .part} files a crash left behind. */
    void recover() {
        try {
            Files.createDirectories(config.verdictsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create verdicts folder " + config.verdictsDir(), e);
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(config.verdictsDir(), "*" + VerdictFile.SUFFIX + PART)) {
            for (Path part : parts) {
                String id = verdictId(part);
                if (id != null && spool.verdictWritten(id)) {
                    Files.move(part, finalName(part), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    LOG.info("completed verdict file {} left by a crash", finalName(part).getFileName());
                } else {
                    Files.delete(part);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover verdict files in " + config.verdictsDir(), e);
        }
    }

    private static String verdictId(Path part) throws IOException {
        for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
            if (line.startsWith("verdict_id=")) {
                return line.substring("verdict_id=".length());
            }
        }
        return null;
    }

    private static Path finalName(Path part) {
        String name = part.getFileName().toString();
        return part.resolveSibling(name.substring(0, name.length() - PART.length()));
    }

    @Override
    public void run() {
        recover();
        Properties props = config.kafkaClient();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "station-agent-verdicts-" + config.station());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        metrics.bindKafkaClient("verdict-consumer", consumer);
        try {
            while (running && !assign()) {
                Thread.sleep(1_000);
            }
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        handle(records);
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // e.g. the verdicts folder is not writable: read again from the offsets recorded with the last files written
                    LOG.error("writing verdicts failed, retrying in 1 s: {}", e.toString());
                    Thread.sleep(1_000);
                    recover();
                    assign();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(config.verdictsTopic(), Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.debug("verdicts topic not reachable yet: {}", e.toString());
            return false;
        }
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assigned = new ArrayList<>();
        partitions.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(assigned);
        Map<Integer, Long> stored = spool.consumerOffsets(config.verdictsTopic());
        for (TopicPartition tp : assigned) {
            Long offset = stored.get(tp.partition());
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        LOG.info("following verdicts for {} on {} ({} partitions), writing them to {}", config.station(), config.verdictsTopic(),
                assigned.size(), config.verdictsDir());
        return true;
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        Map<Integer, Long> next = new HashMap<>();
        Map<String, String> written = new LinkedHashMap<>();
        List<Path> parts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(record.partition(), record.offset() + 1);
            Verdict verdict;
            try {
                SpecificRecord event = codec.decode(record.value());
                if (!(event instanceof Verdict v)) {
                    continue;
                }
                verdict = v;
            } catch (RuntimeException e) {
                LOG.warn("undecodable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
                continue;
            }
            if (!config.station().equals(verdict.getStation()) || written.containsKey(verdict.getEventId())
                    || spool.verdictWritten(verdict.getEventId())) {
                continue;
            }
            String name;
            Path part;
            try {
                String problem = Identifiers.problem("serial", verdict.getSerial());
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                name = VerdictFile.fileName(verdict);
                part = SafePaths.child(config.verdictsDir(), name + PART);
            } catch (IllegalArgumentException e) {
                // never retried: one hostile verdict must not stall every later verdict of the station
                metrics.verdictsRefused.increment();
                LOG.error("verdict {} at {}-{}@{} not written: {}", verdict.getEventId(), record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                continue;
            }
            writeSynced(part, VerdictFile.format(verdict));
            parts.add(part);
            written.put(verdict.getEventId(), name);
        }
        spool.recordVerdicts(config.verdictsTopic(), next, written);
        for (Path part : parts) {
            try {
                Files.move(part, finalName(part), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put verdict file " + finalName(part) + " in place", e);
            }
            metrics.verdictsWritten.increment();
            LOG.info("verdict {} written", finalName(part).getFileName());
        }
    }

    private static void writeSynced(Path file, String content) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write verdict file " + file, e);
        }
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
