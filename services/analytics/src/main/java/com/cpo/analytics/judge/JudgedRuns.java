package com.cpo.analytics.judge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.cpo.analytics.state.Names;
import com.cpo.analytics.state.RunState;

/**
 * The two small indexes beside the run states, so nothing ever scans every run: runs whose completion arrived while
 * measurements are missing (judged INCOMPLETE after the timeout), and judged runs by when they were judged (compacted
 * after the retention: a judged run keeps its event ids for the retention, so redeliveries change nothing; after it,
 * only the fact that it was judged stays, and any later event of it goes to corrections, never counted twice, never
 * dropped in silence).
 */
final class JudgedRuns {

    private final KeyValueStore<String, Long> pending;
    private final KeyValueStore<String, Long> judgedIndex;

    JudgedRuns(ProcessingContext context) {
        this.pending = context.getStateStore(Names.PENDING_RUNS_STORE);
        this.judgedIndex = context.getStateStore(Names.JUDGED_INDEX_STORE);
    }

    void waiting(String runId, long completedWallClockMs) {
        pending.put(runId, completedWallClockMs);
    }

    void notWaiting(String runId) {
        pending.delete(runId);
    }

    /** Runs waiting at least {@code timeout} since their completion; each is taken off the index. */
    List<String> overdue(long nowMs, Duration timeout) {
        List<String> overdue = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (nowMs - entry.value >= timeout.toMillis()) {
                    overdue.add(entry.key);
                }
            }
        }
        overdue.forEach(pending::delete);
        return overdue;
    }

    void judged(String runId, long nowMs) {
        judgedIndex.put(key(nowMs, runId), nowMs);
    }

    /** Compacts the states of runs judged before {@code nowMs - retention} (at most 10,000 a call). */
    void compact(long nowMs, Duration retention, KeyValueStore<String, RunState> runs) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = judgedIndex.range(key(0, ""), key(nowMs - retention.toMillis(), ""))) {
            while (it.hasNext() && due.size() < 10_000) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, Long> entry : due) {
            String runId = entry.key.substring(entry.key.indexOf('|') + 1);
            RunState state = runs.get(runId);
            if (state != null && state.getJudged()) {
                runs.put(runId, RunState.newBuilder().setRunId(runId).setJudged(true).build());
            }
            judgedIndex.delete(entry.key);
        }
    }

    private static String key(long judgedAtMs, String runId) {
        return String.format("%015d|%s", judgedAtMs, runId);
    }
}
