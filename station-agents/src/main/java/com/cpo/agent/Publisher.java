package com.cpo.agent;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the spool to Kafka, oldest first, with an idempotent producer ({@code acks=all}), and deletes each
 * event from the spool once Kafka acknowledged it. After a failed send it waits for every send in flight,
 * then starts again from the oldest event still in the spool with a new producer: events may then reach
 * Kafka twice, always with the same event id, which downstream deduplication absorbs.
 */
final class Publisher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    static final String CONCERN_KAFKA = "kafka";
    private static final int READ_BLOCKS = 16;
    private static final long DELETE_EVERY_MS = 20;
    private static final long STALE_AFTER_MS = 15_000;

    private record Ack(long seq, int events, long bytes) {
    }

    private final AgentConfig config;
    private final Spool spool;
    private final Health health;
    private final AgentMetrics metrics;
    private final Semaphore inFlight;
    private final int permits;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Object work = new Object();
    private volatile boolean running = true;
    private volatile long lastAckMs = System.currentTimeMillis();
    private KafkaProducer<byte[], byte[]> producer;
    private final long[] deleteSeqs = new long[4096];
    private long lastDeleteMs;

    Publisher(AgentConfig config, Spool spool, Health health, AgentMetrics metrics) {
        this.config = config;
        this.spool = spool;
        this.health = health;
        this.metrics = metrics;
        this.permits = Math.max(config.maxInFlight(), Spool.BLOCK_EVENTS);
        this.inFlight = new Semaphore(permits);
    }

    static Properties producerProperties(AgentConfig config) {
        Properties props = config.kafkaClient();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        // send() must not hang for a minute while the broker is away: the spool holds the events anyway
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "station-agent-" + config.station());
        return props;
    }

    /** Tells the publisher that new events are in the spool. */
    void wake() {
        synchronized (work) {
            work.notifyAll();
        }
    }

    @Override
    public void run() {
        producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        metrics.bindKafkaClient("producer", producer);
        long cursor = 0;
        try {
            while (running) {
                try {
                    cursor = step(cursor);
                } catch (RuntimeException e) {
                    // a spool or producer failure must not end the publisher: it tries again from the oldest event
                    LOG.error("publishing failed, retrying in 1 s: {}", e.toString());
                    health.set("publisher", "publishing failed: " + e);
                    Thread.sleep(1_000);
                    failed.set(true);
                    lastError.set(e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
            try {
                deleteAcked(true);
            } catch (RuntimeException e) {
                LOG.warn("could not delete the last acknowledged events; they will be sent again: {}", e.toString());
            }
        }
    }

    /** One round: delete what was acknowledged, recover from a failure, or send the next blocks. */
    private long step(long cursor) throws InterruptedException {
        deleteAcked(false);
        checkStale();
        if (failed.get()) {
            return recover();
        }
        health.clear("publisher");
        List<Spool.Row> rows = spool.next(cursor, Math.max(1, Math.min(READ_BLOCKS, inFlight.availablePermits() / Spool.BLOCK_EVENTS)));
        if (rows.isEmpty()) {
            deleteAcked(true);
            synchronized (work) {
                work.wait(spool.depth() > 0 ? 20 : 200);
            }
            return cursor;
        }
        long next = cursor;
        for (Spool.Row row : rows) {
            if (!send(row)) {
                break;
            }
            next = row.seq();
        }
        return next;
    }

    /** Sends a block's events; the block is acknowledged when all of them are, and its permits come back then. */
    private boolean send(Spool.Row row) throws InterruptedException {
        int size = row.events().size();
        inFlight.acquire(size);
        java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger(size);
        AtomicBoolean blockFailed = new AtomicBoolean();
        Ack done = new Ack(row.seq(), size, row.payloadBytes());
        org.apache.kafka.clients.producer.Callback callback = (metadata, error) -> {
            if (error != null) {
                blockFailed.set(true);
                fail(error);
            }
            if (remaining.decrementAndGet() == 0) {
                inFlight.release(size);
                if (!blockFailed.get()) {
                    acks.add(done);
                }
            }
        };
        for (int i = 0; i < size; i++) {
            Spool.Event event = row.events().get(i);
            try {
                producer.send(new ProducerRecord<>(config.topic(), event.key(), event.payload()), callback);
            } catch (KafkaException e) {
                fail(e);
                // the events not handed to the producer will never call back: count them as done, failed
                blockFailed.set(true);
                if (remaining.addAndGet(-(size - i)) == 0) {
                    inFlight.release(size);
                }
                return false;
            }
        }
        return true;
    }

    private void fail(Throwable error) {
        lastError.set(error.toString());
        if (failed.compareAndSet(false, true)) {
            metrics.sendFailures.increment();
        }
    }

    /** Waits for what is in flight, keeps what got through, and starts again from the oldest event left. */
    private long recover() throws InterruptedException {
        LOG.warn("Kafka did not acknowledge a send ({}); {} events wait in the spool, resending from the oldest", lastError.get(), spool.depth());
        try {
            producer.flush();
        } catch (KafkaException e) {
            LOG.debug("flush after failure: {}", e.toString());
        }
        producer.close(Duration.ofSeconds(5));
        deleteAcked(true);
        inFlight.drainPermits();
        inFlight.release(permits);
        failed.set(false);
        checkStale();
        Thread.sleep(1_000);
        producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        metrics.bindKafkaClient("producer", producer);
        return 0;
    }

    private void checkStale() {
        long now = System.currentTimeMillis();
        if (spool.depth() > 0 && now - lastAckMs > STALE_AFTER_MS) {
            health.set(CONCERN_KAFKA, "no acknowledgement from Kafka (" + config.bootstrapServers() + ") for " + (now - lastAckMs) / 1000 + " s, "
                    + spool.depth() + " events waiting" + (lastError.get() != null ? "; last error: " + lastError.get() : ""));
        } else if (spool.depth() == 0 || now - lastAckMs <= STALE_AFTER_MS) {
            health.clear(CONCERN_KAFKA);
        }
    }

    private void deleteAcked(boolean now) {
        long time = System.currentTimeMillis();
        if (acks.isEmpty() || (!now && time - lastDeleteMs < DELETE_EVERY_MS)) {
            return;
        }
        int count = 0;
        long bytes = 0;
        long events = 0;
        Ack ack;
        while (count < deleteSeqs.length && (ack = acks.poll()) != null) {
            deleteSeqs[count++] = ack.seq();
            bytes += ack.bytes();
            events += ack.events();
        }
        spool.delete(deleteSeqs, count, events, bytes);
        metrics.acked((int) events, bytes);
        lastAckMs = time;
        lastDeleteMs = time;
    }

    /** When Kafka last acknowledged an event (epoch ms). */
    long lastAckMs() {
        return lastAckMs;
    }

    void stop() {
        running = false;
        wake();
    }
}
