package com.cpo.analytics.statistics;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.cpo.analytics.state.Names;

/**
 * Buffers the final coupling-loss values of judged runs and sends them on once a second, one batch per scope: the
 * statistics aggregate then deserializes and serializes each scope's sketch once per batch instead of once per value.
 * The buffer is a changelogged store, so a crash loses nothing. Each run's entry names its scopes and is appended to a
 * chunk of a few runs: the store's cache folds a chunk's updates within a commit into one changelog record, while a
 * chunk stays small enough to rewrite.
 */
public final class StatisticsBuffer {

    /** Key prefix of the buffer's chunks. */
    static final String CHUNK_PREFIX = "~chunk|";
    private static final int RUNS_PER_CHUNK = 32;
    private final KeyValueStore<String, byte[]> buffer;
    private final String chunkKeyPrefix;
    private long chunkSeq;
    private String chunkKey;
    private int chunkRuns;

    public StatisticsBuffer(ProcessingContext context) {
        this.buffer = context.getStateStore(Names.STATS_BUFFER_STORE);
        this.chunkKeyPrefix = CHUNK_PREFIX + context.taskId() + "|" + Long.toString(System.currentTimeMillis(), 36) + "|";
    }

    public void add(JudgedAlignment judged) {
        if (chunkKey == null || chunkRuns >= RUNS_PER_CHUNK) {
            chunkKey = chunkKeyPrefix + (chunkSeq++);
            chunkRuns = 0;
        }
        byte[] entry = StatisticsBatch.bufferEntry(StatisticsBatch.scopesOf(judged), StatisticsBatch.append(null, judged));
        buffer.put(chunkKey, StatisticsBatch.appendToChunk(buffer.get(chunkKey), entry));
        chunkRuns++;
    }

    /** Hands each scope's buffered values on as one batch (scope key, entries) and empties the buffer. */
    public void flush(BiConsumer<String, byte[]> forward) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = buffer.all()) {
            all.forEachRemaining(entries::add);
        }
        Map<String, ByteArrayOutputStream> byScope = new TreeMap<>();
        BiConsumer<String, byte[]> collect = (scope, values) -> byScope.computeIfAbsent(scope, k -> new ByteArrayOutputStream()).writeBytes(values);
        for (KeyValue<String, byte[]> entry : entries) {
            if (entry.key.startsWith(CHUNK_PREFIX)) {
                StatisticsBatch.readChunk(entry.value, collect);
            } else {
                StatisticsBatch.readBufferEntry(entry.value, collect); // one run's entry, as buffered before chunks
            }
            buffer.delete(entry.key);
        }
        chunkKey = null;
        byScope.forEach((scope, values) -> forward.accept(scope, values.toByteArray()));
    }
}
