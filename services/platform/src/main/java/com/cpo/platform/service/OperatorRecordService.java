package com.cpo.platform.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.cpo.events.Verdict;
import com.cpo.platform.TopicsConfig;
import com.cpo.platform.persistence.OperatorRecordRepository.Counts;
import com.cpo.platform.persistence.OperatorRecordRepository.Row;
import com.cpo.platform.persistence.OperatorRecordRepository;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.Topics;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Dead letters and corrections for operators: stored with their reasons as they arrive on their topics, listed,
 * counted, and a dead letter replayed once its cause is fixed. A station event is replayed to the station-events
 * topic (the analytics app judges it; a run judged meanwhile makes it a correction, never a second count); a
 * verdict is stored again here (only the analytics app writes verdicts). Other dead letters cannot be replayed.
 */
@ApplicationScoped
public class OperatorRecordService {

    /** The two kinds, as stored. */
    public static final String DEAD_LETTER = "DEAD_LETTER";
    public static final String CORRECTION = "CORRECTION";
    /** Header on a replayed record naming the dead letter it replays. */
    public static final String HEADER_REPLAY_OF = "cpo.replay.of";

    private static final Logger LOG = Logger.getLogger(OperatorRecordService.class);
    private final OperatorRecordRepository records;
    private final VerdictIngestService verdicts;
    private final TopicsConfig topics;
    private final MutinyEmitter<byte[]> replays;
    private final EventCodec codec = EventCodec.standard();

    OperatorRecordService(OperatorRecordRepository records, VerdictIngestService verdicts, TopicsConfig topics,
            @Channel("replays-out") MutinyEmitter<byte[]> replays) {
        this.records = records;
        this.verdicts = verdicts;
        this.topics = topics;
        this.replays = replays;
    }

    /** Stores a record of the dead-letter or corrections topic with the reason and source its headers name. */
    @Transactional
    public boolean store(String kind, ConsumerRecord<String, byte[]> record) {
        String reason = header(record, Topics.HEADER_DLQ_REASON);
        String sourcePartition = header(record, Topics.HEADER_DLQ_SOURCE_PARTITION);
        String sourceOffset = header(record, Topics.HEADER_DLQ_SOURCE_OFFSET);
        String key = record.key();
        boolean stored = records.insertIfAbsent(kind, record.topic(), record.partition(), record.offset(),
                key == null ? null : key.length() > 1024 ? key.substring(0, 1024) : key,
                reason == null ? "(no reason header)" : reason, header(record, Topics.HEADER_DLQ_SOURCE_TOPIC),
                sourcePartition == null ? null : Integer.valueOf(sourcePartition), sourceOffset == null ? null : Long.valueOf(sourceOffset),
                eventType(record.value()), record.value(), Instant.ofEpochMilli(record.timestamp()));
        if (stored) {
            LOG.infof("%s from %s-%d@%d stored: %s", kind.toLowerCase().replace('_', ' '), record.topic(), record.partition(),
                    record.offset(), reason);
        }
        return stored;
    }

    @Transactional
    public Counts counts() {
        return records.counts();
    }

    @Transactional
    public Page<Row> page(String kind, int page, int size) {
        return new Page<>(records.page(kind, page * size, size), page, size, records.count(kind));
    }

    /**
     * Replays a dead letter to where it came from, once.
     *
     * @param by who asked, for the record
     */
    @Transactional
    public Row replay(long id, String by) {
        Row row = records.find(DEAD_LETTER, id).orElseThrow(() -> new NotFoundException("There is no dead letter " + id + "."));
        if (row.replayedAt() != null) {
            throw new ConflictException("Dead letter " + id + " was replayed at " + row.replayedAt() + " by " + row.replayedBy()
                    + "; it is replayed once.");
        }
        byte[] payload = records.payload(id);
        if (payload == null || payload.length == 0) {
            throw new InvalidRequestException("Dead letter " + id + " has no bytes to replay.");
        }
        String source = row.sourceTopic();
        if (topics.stationEvents().equals(source)) {
            replays.sendMessageAndAwait(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(source).withKey(row.key())
                    .withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders()
                            .add(HEADER_REPLAY_OF, Long.toString(id).getBytes(StandardCharsets.UTF_8)))
                    .build()));
        } else if (topics.verdicts().equals(source)) {
            Verdict verdict;
            try {
                verdict = codec.decode(payload, Verdict.class);
            } catch (RuntimeException e) {
                throw new InvalidRequestException("Dead letter " + id + " still cannot be decoded as a verdict: " + e.getMessage());
            }
            verdicts.store(verdict);
        } else {
            throw new InvalidRequestException("Dead letter " + id + " came from " + (source == null ? "an unnamed topic" : source)
                    + "; only station events (" + topics.stationEvents() + ") and verdicts (" + topics.verdicts() + ") can be replayed.");
        }
        if (!records.markReplayed(id, by, Instant.now())) {
            throw new ConflictException("Dead letter " + id + " was replayed meanwhile by another request.");
        }
        LOG.infof("dead letter %d replayed to %s by %s", id, source, by);
        return records.find(DEAD_LETTER, id).orElseThrow();
    }

    private String eventType(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            SpecificRecord event = codec.decode(value);
            return event.getClass().getSimpleName();
        } catch (RuntimeException e) {
            return null; // undecodable: that is usually why it is here
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The dead letters listed by their kind's name, for the API. */
    public static List<String> kinds() {
        return List.of(DEAD_LETTER, CORRECTION);
    }
}
