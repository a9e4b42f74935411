package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.query.NativeQuery;

/**
 * Dead letters and corrections as operators see them (table {@code operator_records}). Inserts are idempotent on
 * the Kafka record's coordinates. Callers must be in a transaction.
 */
@ApplicationScoped
public class OperatorRecordRepository {

    /** A stored record; {@code payload} is only read for a replay. */
    public record Row(long id, String kind, String topic, int partition, long offset, String key, String reason, String sourceTopic,
            Integer sourcePartition, Long sourceOffset, String eventType, int payloadBytes, Instant recordedAt, Instant replayedAt,
            String replayedBy) {
    }

    /** Rows per kind, and dead letters not replayed yet. */
    public record Counts(long deadLetters, long deadLettersNotReplayed, long corrections) {
    }

    private final EntityManager em;

    OperatorRecordRepository(EntityManager em) {
        this.em = em;
    }

    /** Stores a record unless it is stored already; true when it was new. */
    public boolean insertIfAbsent(String kind, String topic, int partition, long offset, String key, String reason, String sourceTopic,
            Integer sourcePartition, Long sourceOffset, String eventType, byte[] payload, Instant recordedAt) {
        NativeQuery<?> insert = em.createNativeQuery("""
                INSERT INTO operator_records (kind, topic, kafka_partition, kafka_offset, record_key, reason, source_topic,
                                              source_partition, source_offset, event_type, payload, payload_bytes, recorded_at)
                VALUES (:kind, :topic, :partition, :offset, :key, :reason, :sourceTopic, :sourcePartition, :sourceOffset,
                        :eventType, :payload, :payloadBytes, :recordedAt)
                ON CONFLICT ON CONSTRAINT operator_records_record_key DO NOTHING""").unwrap(NativeQuery.class);
        return insert.setParameter("kind", kind, String.class)
                .setParameter("topic", topic, String.class)
                .setParameter("partition", partition, Integer.class)
                .setParameter("offset", offset, Long.class)
                .setParameter("key", key, String.class)
                .setParameter("reason", reason, String.class)
                .setParameter("sourceTopic", sourceTopic, String.class)
                .setParameter("sourcePartition", sourcePartition, Integer.class)
                .setParameter("sourceOffset", sourceOffset, Long.class)
                .setParameter("eventType", eventType, String.class)
                .setParameter("payload", payload, byte[].class)
                .setParameter("payloadBytes", payload == null ? 0 : payload.length, Integer.class)
                .setParameter("recordedAt", recordedAt, Instant.class)
                .executeUpdate() == 1;
    }

    public Counts counts() {
        Object[] row = (Object[]) em.createNativeQuery("""
                SELECT count(*) FILTER (WHERE kind = 'DEAD_LETTER'),
                       count(*) FILTER (WHERE kind = 'DEAD_LETTER' AND replayed_at IS NULL),
                       count(*) FILTER (WHERE kind = 'CORRECTION')
                FROM operator_records""").getSingleResult();
        return new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(), ((Number) row[2]).longValue());
    }

    public long count(String kind) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM operator_records WHERE kind = :kind").setParameter("kind", kind)
                .getSingleResult()).longValue();
    }

    /** Newest first. */
    @SuppressWarnings("unchecked")
    public List<Row> page(String kind, int offset, int limit) {
        List<Object[]> rows = em.createNativeQuery(SELECT + " WHERE kind = :kind ORDER BY id DESC OFFSET :offset LIMIT :limit")
                .setParameter("kind", kind).setParameter("offset", offset).setParameter("limit", limit).getResultList();
        return rows.stream().map(OperatorRecordRepository::row).toList();
    }

    @SuppressWarnings("unchecked")
    public Optional<Row> find(String kind, long id) {
        List<Object[]> rows = em.createNativeQuery(SELECT + " WHERE kind = :kind AND id = :id").setParameter("kind", kind)
                .setParameter("id", id).getResultList();
        return rows.stream().findFirst().map(OperatorRecordRepository::row);
    }

    /** The record's bytes as received. */
    public byte[] payload(long id) {
        return (byte[]) em.createNativeQuery("SELECT payload FROM operator_records WHERE id = :id").setParameter("id", id).getSingleResult();
    }

    /** Marks a dead letter replayed; false when it was replayed already (by another request or instance). */
    public boolean markReplayed(long id, String by, Instant at) {
        return em.createNativeQuery("UPDATE operator_records SET replayed_at = :at, replayed_by = :by WHERE id = :id AND replayed_at IS NULL")
                .setParameter("at", at).setParameter("by", by).setParameter("id", id).executeUpdate() == 1;
    }

    private static final String SELECT = """
            SELECT id, kind, topic, kafka_partition, kafka_offset, record_key, reason, source_topic, source_partition, source_offset,
                   event_type, payload_bytes, recorded_at, replayed_at, replayed_by
            FROM operator_records""";

    private static Row row(Object[] r) {
        return new Row(((Number) r[0]).longValue(), (String) r[1], (String) r[2], ((Number) r[3]).intValue(), ((Number) r[4]).longValue(),
                (String) r[5], (String) r[6], (String) r[7], r[8] == null ? null : ((Number) r[8]).intValue(),
                r[9] == null ? null : ((Number) r[9]).longValue(), (String) r[10], ((Number) r[11]).intValue(), instant(r[12]),
                instant(r[13]), (String) r[14]);
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
    }
}
