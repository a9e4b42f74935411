package com.cpo.analytics.judge;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cpo.analytics.state.RunState;
import com.cpo.analytics.state.StateBytes;
import com.cpo.events.AlignmentResult;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.schemas.EventCodec;

/**
 * Each event is decoded once: as it arrives. The run state keeps the bytes (what the changelog holds); the decoded run
 * start and alignment results stay here, per run, until it is judged, so a burn-in reading does not decode its run's
 * start again, nor judging its measurements. After a restart (or past the cache's size) they are decoded from the state.
 */
final class DecodedRuns {

    private static final int RUNS = 20_000;
    private final EventCodec codec = EventCodec.standard();
    private final Map<String, RunStarted> started = lru();
    private final Map<String, List<AlignmentResult>> results = lru();
    private final Map<String, RunCompleted> completed = lru();

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > RUNS;
            }
        };
    }

    void started(RunStarted event) {
        started.put(event.getRunId(), event);
    }

    void completed(RunCompleted event) {
        completed.put(event.getRunId(), event);
    }

    /** The run's completion, decoded once; null when it has not arrived. */
    RunCompleted completedOf(RunState state) {
        if (state.getCompleted() == null) {
            return null;
        }
        return completed.computeIfAbsent(state.getRunId(), k -> codec.decode(StateBytes.of(state.getCompleted()), RunCompleted.class));
    }

    void result(AlignmentResult event) {
        results.computeIfAbsent(event.getRunId(), k -> new ArrayList<>()).add(event);
    }

    /** The run's start, decoded once; null when it has not arrived. */
    RunStarted startedOf(RunState state) {
        if (state.getStarted() == null) {
            return null;
        }
        return started.computeIfAbsent(state.getRunId(), k -> codec.decode(StateBytes.of(state.getStarted()), RunStarted.class));
    }

    /** The run's alignment results, decoded once. */
    List<AlignmentResult> resultsOf(RunState state) {
        List<AlignmentResult> cached = results.get(state.getRunId());
        if (cached != null && cached.size() == state.getMeasurements().size()) {
            return cached;
        }
        List<AlignmentResult> decoded = new ArrayList<>();
        for (ByteBuffer m : state.getMeasurements()) {
            if (codec.decode(StateBytes.of(m)) instanceof AlignmentResult r) {
                decoded.add(r);
            }
        }
        return decoded;
    }

    /** The run is judged: nothing of it is needed any more. */
    void forget(String runId) {
        started.remove(runId);
        results.remove(runId);
        completed.remove(runId);
    }
}
