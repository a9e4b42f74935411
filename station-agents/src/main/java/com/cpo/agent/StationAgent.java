package com.cpo.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.schemas.EventCodec;

/**
 * Picks up the result files a tester writes and publishes their events to Kafka with an idempotent
 * producer ({@code acks=all}). A file leaves the input folder only after Kafka acknowledged every event
 * of it; until then it stays and is sent again (with the same event ids) on the next pass. A file the
 * agent cannot read is moved to quarantine with a {@code .reason} file naming file, line and field,
 * and the agent carries on.
 *
 * <p>Testers must write a file under another name (e.g. {@code .part}) and rename it to
 * {@code *.align} when complete; a file without its {@code [end]} marker is treated as still being
 * written for a grace period, then quarantined as truncated.
 */
public final class StationAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StationAgent.class);
    private static final long TRUNCATED_AFTER_MS = 60_000;

    private final AgentConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = EventCodec.standard();
    private final AtomicLong filesSent = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong filesQuarantined = new AtomicLong();
    private volatile boolean running = true;

    public StationAgent(AgentConfig config) {
        this.config = config;
        try {
            Files.createDirectories(config.inputDir());
            Files.createDirectories(config.archiveDir());
            Files.createDirectories(config.quarantineDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's folders", e);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "station-agent-" + config.station());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Scans and publishes until {@link #close()}. */
    public void run() {
        LOG.info("agent for station {} watching {} -> {} on {}", config.station(), config.inputDir(), config.topic(),
                config.bootstrapServers());
        while (running) {
            try {
                int handled = pollOnce();
                if (handled == 0) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("pass over {} failed, retrying: {}", config.inputDir(), e.toString());
                sleepQuietly(config.pollInterval().toMillis());
            }
        }
    }

    /** One pass over the input folder; returns the number of files published or quarantined. */
    public int pollOnce() throws InterruptedException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.inputDir(), "*" + AlignmentFile.SUFFIX)) {
            dir.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + config.inputDir(), e);
        }
        files.sort(null);
        int handled = 0;
        for (Path file : files) {
            if (!running) {
                break;
            }
            if (handle(file)) {
                handled++;
            }
        }
        return handled;
    }

    private boolean handle(Path file) throws InterruptedException {
        AlignmentFile parsed;
        try {
            parsed = AlignmentFile.read(file);
            if (!config.station().equals(parsed.header().get("station"))) {
                throw new TesterFileException(file, parsed.headerLine(), "station",
                        "'" + parsed.header().get("station") + "' is not this agent's station " + config.station());
            }
        } catch (TesterFileException e) {
            if (e.getMessage().contains("no [end] marker") && ageMs(file) < TRUNCATED_AFTER_MS) {
                return false; // still being written by a tester that does not rename; look again later
            }
            quarantine(file, e.getMessage());
            return true;
        } catch (IOException e) {
            LOG.warn("cannot read {} yet: {}", file, e.toString());
            return false;
        }
        List<SpecificRecord> events = EventMapper.events(parsed);
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (SpecificRecord event : events) {
            acks.add(producer.send(new ProducerRecord<>(config.topic(), parsed.serial(), codec.encode(event))));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(config.pollInterval().toMillis() + 130_000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{} not acknowledged by Kafka, will resend with the same event ids: {}", file.getFileName(), e.toString());
            return false;
        }
        move(file, config.archiveDir().resolve(file.getFileName()));
        filesSent.incrementAndGet();
        eventsSent.addAndGet(events.size());
        LOG.debug("published {} ({} events)", file.getFileName(), events.size());
        return true;
    }

    private void quarantine(Path file, String reason) {
        Path target = config.quarantineDir().resolve(file.getFileName());
        move(file, target);
        try {
            Files.writeString(config.quarantineDir().resolve(file.getFileName() + ".reason"),
                    "file: " + file + "\nquarantined: " + Instant.now() + "\nreason: " + reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("cannot write reason for {}: {}", target, e.toString());
        }
        filesQuarantined.incrementAndGet();
        LOG.warn("quarantined {}: {}", file.getFileName(), reason);
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    private static long ageMs(Path file) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long filesSent() {
        return filesSent.get();
    }

    public long eventsSent() {
        return eventsSent.get();
    }

    public long filesQuarantined() {
        return filesQuarantined.get();
    }

    @Override
    public void close() {
        running = false;
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
