package com.cpo.platform;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.cpo.events.Verdict;
import com.cpo.schemas.EventSerializer;

/**
 * Publishes to the verdicts topic as a station's judge does: key = serial, value = the verdict through
 * {@link EventSerializer}. Every send waits for the broker's acknowledgement, so the records of one
 * serial arrive in the order sent.
 */
final class VerdictProducer implements AutoCloseable {

    private final String topic;
    private final String bootstrapServers;
    private final KafkaProducer<String, Verdict> verdicts;
    private final KafkaProducer<String, byte[]> raw;

    VerdictProducer(String bootstrapServers, String topic) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        this.verdicts = new KafkaProducer<>(config, new StringSerializer(), new EventSerializer<>());
        this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    void send(Verdict verdict) {
        await(verdicts.send(new ProducerRecord<>(topic, verdict.getSerial(), verdict)));
    }

    /**
     * Sends a verdict inside a transaction that is then aborted, as an exactly-once producer (the analytics
     * app) does when it fails mid-commit: the record is on the topic, marked aborted.
     */
    void sendAborted(Verdict verdict) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-aborted-" + java.util.UUID.randomUUID());
        try (KafkaProducer<String, Verdict> transactional = new KafkaProducer<>(config, new StringSerializer(), new EventSerializer<>())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            await(transactional.send(new ProducerRecord<>(topic, verdict.getSerial(), verdict)));
            transactional.abortTransaction();
        }
    }

    /** Sends bytes as they are, e.g. a record no deserializer can read. */
    void sendRaw(String key, byte[] value) {
        await(raw.send(new ProducerRecord<>(topic, key, value)));
    }

    private void await(Future<?> sent) {
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        verdicts.close();
        raw.close();
    }
}
