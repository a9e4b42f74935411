package com.cpo.analytics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.RunState;
import com.cpo.domain.AlignmentRules;
import com.cpo.domain.BurnInAlarmRule;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.BurnInRules;
import com.cpo.domain.ChannelValue;
import com.cpo.domain.Evaluation;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.events.AlarmKind;
import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;
import com.cpo.schemas.StationEventCheck;
import com.cpo.schemas.Topics;
import com.cpo.schemas.UndecodableEventException;

/**
 * Assembles each run from its station events (keyed by unit serial, so a unit's events meet here) and,
 * once the run is complete, judges it with the domain rules against the limit set in force at the run's
 * start. While a burn-in run is in the rack it watches every channel's drift and raises an alarm when a
 * projection crosses a limit or power drops suddenly.
 *
 * <p>Redelivered events (same event id, or a burn-in reading not after the channel's latest) change
 * nothing; a judged run is never judged twice, and new events for it go to the corrections topic. Bytes
 * that are not an event go to the dead-letter topic with the reason in headers.
 */
final class RunJudgeProcessor implements Processor<String, byte[], String, JudgeOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(RunJudgeProcessor.class);
    private static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(5);
    static final Duration STATS_FLUSH_EVERY = Duration.ofSeconds(1);
    private static final double MS_PER_HOUR = 3_600_000.0;

    private final AnalyticsConfig config;
    private final EventCodec codec = EventCodec.standard();
    private final Map<String, LimitSet> limitsByRun = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LimitSet> eldest) {
            return size() > 10_000;
        }
    };
    private ProcessorContext<String, JudgeOutput> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<String, Long> pendingRuns;
    private KeyValueStore<String, Long> judgedIndex;
    private KeyValueStore<String, byte[]> statsBuffer;
    /** Key prefix of the statistics buffer's chunks; a chunk holds the entries of up to RUNS_PER_CHUNK runs. */
    static final String CHUNK_PREFIX = "~chunk|";
    private static final int RUNS_PER_CHUNK = 32;
    private String chunkKeyPrefix;
    private long chunkSeq;
    private String chunkKey;
    private int chunkRuns;
    private KeyValueStore<String, UnitHistory> histories;
    private KeyValueStore<String, YieldContribution> yieldBuffer;
    private ReadOnlyKeyValueStore<String, byte[]> limitSets;
    private Sensor lateEvents;
    private Sensor verdictLatency;
    private Sensor verdictsJudged;
    /**
     * Burn-in runs with readings folded in since their status was last sent; their statuses go out with the
     * once-a-second flush. Not a store: a restart forgets it, and the next reading of each run sends its status.
     */
    private final java.util.Set<String> burnInChanged = new java.util.LinkedHashSet<>();
    /**
     * Latest alignment run start seen in this task: the stream time the hourly statistics windows' grace is measured
     * from. Kept in a changelogged store, so whether a late run counts in its hour does not depend on whether the
     * application restarted or the task moved in between.
     */
    private long maxEventTimeMs = Long.MIN_VALUE;
    private KeyValueStore<String, Long> streamTime;
    static final String STREAM_TIME_KEY = "alignment-run-start-ms";
    /**
     * Kafka timestamp of what is emitted now: the triggering record's (when it reached Kafka), or wall-clock
     * time in a punctuation. Never the tester's event time, which stays in the payload: a tester clock ahead
     * by more than the broker's tolerance (1 h) would have every output refused.
     */
    private long outputTimestampMs;

    RunJudgeProcessor(AnalyticsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, JudgeOutput> context) {
        this.context = context;
        this.runs = context.getStateStore(AnalyticsTopology.RUN_STORE);
        this.pendingRuns = context.getStateStore(AnalyticsTopology.PENDING_RUNS_STORE);
        this.judgedIndex = context.getStateStore(AnalyticsTopology.JUDGED_INDEX_STORE);
        this.statsBuffer = context.getStateStore(AnalyticsTopology.STATS_BUFFER_STORE);
        this.chunkKeyPrefix = CHUNK_PREFIX + context.taskId() + "|" + Long.toString(System.currentTimeMillis(), 36) + "|";
        this.histories = context.getStateStore(AnalyticsTopology.UNIT_HISTORY_STORE);
        this.yieldBuffer = context.getStateStore(AnalyticsTopology.YIELD_BUFFER_STORE);
        this.streamTime = context.getStateStore(AnalyticsTopology.STREAM_TIME_STORE);
        Long restored = streamTime.get(STREAM_TIME_KEY);
        this.maxEventTimeMs = restored == null ? Long.MIN_VALUE : restored;
        this.limitSets = limitStore(context);
        this.lateEvents = context.metrics().addSensor("late-station-events-" + context.taskId(), Sensor.RecordingLevel.INFO);
        lateEvents.add(new MetricName("late-station-events-total", "cpo-analytics",
                "Station events that arrived after their run was judged, or runs too old for their hourly window; sent to the corrections topic",
                Map.of("task", context.taskId().toString())), new CumulativeCount());
        this.verdictLatency = context.metrics().addSensor("verdict-latency-" + context.taskId(), Sensor.RecordingLevel.INFO);
        Map<String, String> taskTag = Map.of("task", context.taskId().toString());
        verdictLatency.add(new MetricName("verdict-latency-avg-ms", "cpo-analytics",
                "Mean time from the record that completed a run reaching Kafka to its verdict being judged, ms (visible downstream at the next commit)",
                taskTag), new org.apache.kafka.common.metrics.stats.Avg());
        verdictLatency.add(new MetricName("verdict-latency-max-ms", "cpo-analytics",
                "Longest time from the record that completed a run reaching Kafka to its verdict being judged, ms", taskTag),
                new org.apache.kafka.common.metrics.stats.Max());
        this.verdictsJudged = context.metrics().addSensor("verdicts-judged-" + context.taskId(), Sensor.RecordingLevel.INFO);
        verdictsJudged.add(new MetricName("verdicts-total", "cpo-analytics", "Verdicts judged (INCOMPLETE ones after the timeout included)",
                taskTag), new CumulativeCount());
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::judgeOverdueRuns);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::compactJudgedRuns);
        context.schedule(STATS_FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> {
            flushStatistics();
            flushYield();
            flushBurnInStatus(now);
        });
    }

    /** A task's sensors are its own (a sensor is found by name), and leave with the task. */
    @Override
    public void close() {
        if (context != null) {
            context.metrics().removeSensor(lateEvents);
            context.metrics().removeSensor(verdictLatency);
            context.metrics().removeSensor(verdictsJudged);
        }
    }

    /**
     * Keeps the unit's history of the operation and turns the change into yield deltas: the unit's old
     * contribution leaves its old groups and its new one joins its new groups, so a retest replaces, never
     * adds. The unit table lives here, in the serial's partition, so no record crosses the network for it;
     * the deltas are summed per group and sent on once a second.
     */
    private void updateYield(Verdict verdict) {
        String key = verdict.getProduct() + "|" + verdict.getSerial() + "|" + verdict.getOperation();
        UnitHistory before = histories.get(key);
        UnitHistory after = (before == null ? UnitHistory.empty() : before).with(verdict);
        histories.put(key, after);
        for (com.cpo.events.YieldDimension dimension : com.cpo.events.YieldDimension.values()) {
            if (before != null) {
                addYieldDelta(AnalyticsTopology.yieldKey(dimension, before), YieldContribution.ZERO.minus(before.contribution()));
            }
            addYieldDelta(AnalyticsTopology.yieldKey(dimension, after), after.contribution());
        }
    }

    private void addYieldDelta(String group, YieldContribution delta) {
        YieldContribution buffered = yieldBuffer.get(group);
        yieldBuffer.put(group, buffered == null ? delta : buffered.plus(delta));
    }

    void flushYield() {
        List<KeyValue<String, YieldContribution>> deltas = new ArrayList<>();
        try (KeyValueIterator<String, YieldContribution> all = yieldBuffer.all()) {
            all.forEachRemaining(deltas::add);
        }
        for (KeyValue<String, YieldContribution> delta : deltas) {
            context.forward(new Record<>(delta.key, new JudgeOutput(JudgeOutput.Kind.YIELD_DELTA, delta.value), context.currentSystemTimeMs()));
            yieldBuffer.delete(delta.key);
        }
    }

    /**
     * Sends the buffered coupling-loss values downstream, one batch per scope, and empties the buffer. The
     * statistics aggregate then deserializes and serializes each scope's sketch once per batch instead of
     * once per value: the difference between a sketch of kilobytes rewritten 48 times per run and once a
     * second. The buffer is a changelogged store, so a crash loses nothing.
     */
    void flushStatistics() {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = statsBuffer.all()) {
            all.forEachRemaining(entries::add);
        }
        Map<String, java.io.ByteArrayOutputStream> byScope = new TreeMap<>();
        java.util.function.BiConsumer<String, byte[]> collect = (scope, values) ->
                byScope.computeIfAbsent(scope, k -> new java.io.ByteArrayOutputStream()).writeBytes(values);
        for (KeyValue<String, byte[]> entry : entries) {
            if (entry.key.startsWith(CHUNK_PREFIX)) {
                StatisticsBatch.readChunk(entry.value, collect);
            } else {
                StatisticsBatch.readBufferEntry(entry.value, collect); // one run's entry, as buffered before chunks
            }
            statsBuffer.delete(entry.key);
        }
        chunkKey = null;
        byScope.forEach((scope, values) -> forwardBatch(scope, values.toByteArray()));
    }

    private void forwardBatch(String scope, byte[] entries) {
        context.forward(new Record<>(scope, new JudgeOutput(JudgeOutput.Kind.STATISTICS_BATCH, new StatisticsBatch(scope, entries)),
                context.currentSystemTimeMs()));
    }

    /** Sends the status of every burn-in run whose readings changed since the last flush (key: run id). */
    void flushBurnInStatus(long nowMs) {
        for (String runId : burnInChanged) {
            RunState state = runs.get(runId);
            if (state != null && !state.getJudged() && state.getStarted() != null) {
                forwardBurnInStatus(state, nowMs);
            }
        }
        burnInChanged.clear();
    }

    private void forwardBurnInStatus(RunState state, long timestampMs) {
        RunStarted started = decode(state.getStarted(), RunStarted.class);
        com.cpo.events.BurnInStatus status = BurnInStatuses.of(state, started, limitsOf(started));
        if (status != null) {
            context.forward(new Record<>(state.getRunId(), new JudgeOutput(JudgeOutput.Kind.BURNIN_STATUS, status), timestampMs));
        }
    }

    @SuppressWarnings("unchecked")
    private static ReadOnlyKeyValueStore<String, byte[]> limitStore(ProcessorContext<String, JudgeOutput> context) {
        Object store = context.getStateStore(AnalyticsTopology.LIMITS_STORE);
        return (ReadOnlyKeyValueStore<String, byte[]>) store;
    }

    /**
     * Judges what one station event changes. An event that cannot be decoded, or decodes but is unfit to judge
     * ({@link StationEventCheck}), goes to the dead-letter topic with its reason before it touches any state. A
     * failure while applying a valid event (a defect, not the event's) dead-letters it too, in the same
     * transaction, so one record never stops judging; Kafka's own exceptions (a fenced producer, a migrated task)
     * are not the record's and go on to Kafka Streams.
     */
    @Override
    public void process(Record<String, byte[]> record) {
        outputTimestampMs = record.timestamp();
        SpecificRecord event;
        try {
            event = codec.decode(record.value());
        } catch (UndecodableEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        String runId = runIdOf(event);
        if (runId == null) {
            deadLetter(record, "unexpected event type on the station-events topic: " + event.getClass().getSimpleName());
            return;
        }
        String problem = StationEventCheck.problem(event);
        if (problem != null) {
            deadLetter(record, "invalid " + event.getClass().getSimpleName() + ": " + problem);
            return;
        }
        try {
            apply(record, event, runId);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("judging failed for the {} of run {}; it goes to the dead-letter topic", event.getClass().getSimpleName(), runId, e);
            deadLetter(record, "processing failed: " + e);
        }
    }

    private void apply(Record<String, byte[]> record, SpecificRecord event, String runId) {
        RunState state = runs.get(runId);
        if (state == null) {
            state = RunState.newBuilder().setRunId(runId).build();
        }
        if (event instanceof BurnInReading reading) {
            if (!applyReading(state, reading, record)) {
                return;
            }
        } else {
            String eventId = eventIdOf(event);
            if (state.getEventIds().contains(eventId)) {
                LOG.debug("ignoring redelivered event {} of run {}", eventId, runId);
                return;
            }
            if (state.getJudged()) {
                correction(record, "arrived after run " + runId + " was judged; not counted in its verdict");
                return;
            }
            state.getEventIds().add(eventId);
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            if (event instanceof RunStarted started) {
                state.setStarted(bytes);
                if (started.getOperation() == Operation.ALIGN) {
                    // the hourly statistics windows are alignment windows: burn-in racks replaying days
                    // of readings must not move their stream time
                    advanceStreamTime(started.getEventTime().toEpochMilli());
                }
                replayPendingReadings(state, started);
            } else if (event instanceof RunCompleted) {
                state.setCompleted(bytes);
                state.setCompletedWallClockMs(context.currentSystemTimeMs());
            } else {
                state.getMeasurements().add(bytes);
                state.setMeasurementCount(state.getMeasurementCount() + 1);
            }
        }
        if (isComplete(state)) {
            if (!(event instanceof RunCompleted) && state.getCompletedWallClockMs() != null) {
                pendingRuns.delete(runId); // it waited for this measurement
            }
            judge(state, null, record);
        } else if (event instanceof RunCompleted) {
            // only a run still missing measurements after its completion waits in the index (most runs
            // complete with their RunCompleted and never touch it)
            pendingRuns.put(runId, state.getCompletedWallClockMs());
        }
        runs.put(runId, state);
    }

    /** Applies a burn-in reading; false when it changes nothing (a redelivery) or was sent elsewhere. */
    private boolean applyReading(RunState state, BurnInReading reading, Record<String, byte[]> record) {
        if (state.getJudged()) {
            correction(record, "burn-in reading arrived after run " + state.getRunId() + " was judged; not counted in its verdict");
            return false;
        }
        if (state.getStarted() == null) {
            String id = reading.getEventId();
            if (state.getEventIds().contains(id)) {
                return false;
            }
            state.getEventIds().add(id);
            state.getPendingReadings().add(ByteBuffer.wrap(record.value()));
            return true;
        }
        return track(state, reading, decode(state.getStarted(), RunStarted.class));
    }

    private void replayPendingReadings(RunState state, RunStarted started) {
        for (ByteBuffer pending : state.getPendingReadings()) {
            track(state, decode(pending, BurnInReading.class), started);
        }
        state.setPendingReadings(new ArrayList<>());
    }

    /** Folds a reading into its channel's tracker and raises the alarms it calls for. */
    private boolean track(RunState state, BurnInReading reading, RunStarted started) {
        String channelKey = Integer.toString(reading.getChannel());
        ByteBuffer trackerBytes = state.getBurnInChannels().get(channelKey);
        BurnInChannel tracker = trackerBytes == null ? BurnInChannel.withDefaultWindows() : BurnInChannel.fromBytes(toArray(trackerBytes));
        long timeMs = reading.getEventTime().toEpochMilli();
        if (!tracker.accepts(timeMs)) {
            return false;
        }
        double dropDb = tracker.add(timeMs, reading.getPowerDbm(), reading.getBiasCurrentMa());
        state.getBurnInChannels().put(channelKey, ByteBuffer.wrap(tracker.toBytes()));
        state.getBurnInSlots().put(channelKey, reading.getSlot());
        state.setMeasurementCount(state.getMeasurementCount() + 1);
        burnInChanged.add(state.getRunId());
        LimitSet limits = limitsOf(started);
        if (limits != null) {
            watch(state, reading, tracker, dropDb, limits);
        }
        return true;
    }

    private void watch(RunState state, BurnInReading reading, BurnInChannel tracker, double dropDb, LimitSet limits) {
        double horizonHours = config.alarmHorizon().toMillis() / MS_PER_HOUR;
        for (BurnInAlarmRule.Alarm a : BurnInAlarmRule.evaluate(limits, reading.getChannel(), tracker, dropDb, reading.getPowerDbm(),
                reading.getBiasCurrentMa(), horizonHours)) {
            alarm(state, reading, AlarmKind.valueOf(a.kind().name()), a.value(), a.limit(), a.unitOfMeasure(), a.slopePerHour(),
                    a.hoursToLimit(), a.message());
        }
    }

    private void alarm(RunState state, BurnInReading reading, AlarmKind kind, double value, double limit, String unit, Double slope,
            Double hoursToLimit, String message) {
        String key = reading.getChannel() + ":" + kind;
        if (state.getAlarmed().contains(key)) {
            return;
        }
        state.getAlarmed().add(key);
        BurnInAlarm alarm = BurnInAlarm.newBuilder()
                .setEventId(state.getRunId() + ":" + key)
                .setEventTime(reading.getEventTime())
                .setRunId(state.getRunId())
                .setSerial(reading.getSerial())
                .setStation(reading.getStation())
                .setSlot(reading.getSlot())
                .setChannel(reading.getChannel())
                .setKind(kind)
                .setValue(value)
                .setLimit(limit)
                .setUnitOfMeasure(unit)
                .setSlopePerHour(slope)
                .setHoursToLimit(hoursToLimit)
                .setMessage(message)
                .build();
        // the unit's status first, so a dashboard knows the unit (its product and lot) when the alarm comes
        burnInChanged.remove(state.getRunId());
        forwardBurnInStatus(state, outputTimestampMs);
        context.forward(new Record<>(reading.getSerial(), new JudgeOutput(JudgeOutput.Kind.ALARM, alarm), outputTimestampMs));
    }

    private boolean isComplete(RunState state) {
        if (state.getStarted() == null || state.getCompleted() == null) {
            return false;
        }
        RunCompleted completed = decode(state.getCompleted(), RunCompleted.class);
        return completed.getAborted() || state.getMeasurementCount() >= completed.getMeasurementEvents();
    }

    /**
     * Runs whose completion arrived but whose measurements are still missing after the timeout become
     * INCOMPLETE. Only the small index of runs waiting after their completion is scanned, never every run.
     */
    private void judgeOverdueRuns(long nowMs) {
        outputTimestampMs = nowMs;
        List<String> overdue = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = pendingRuns.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (nowMs - entry.value >= config.missingMeasurementsTimeout().toMillis()) {
                    overdue.add(entry.key);
                }
            }
        }
        for (String runId : overdue) {
            RunState state = runs.get(runId);
            if (state != null && !state.getJudged()) {
                String reason = state.getStarted() == null ? "run start missing after " + config.missingMeasurementsTimeout().toSeconds() + " s"
                        : "measurements missing after " + config.missingMeasurementsTimeout().toSeconds() + " s";
                judge(state, reason, null);
                runs.put(runId, state);
            }
            pendingRuns.delete(runId);
        }
    }

    /**
     * A judged run keeps its event ids for the retention, so redeliveries change nothing; after it, only the
     * fact that it was judged stays (tens of bytes instead of kilobytes, for months of runs), and any later
     * event of it goes to the corrections topic — never counted twice, never dropped in silence.
     */
    private void compactJudgedRuns(long nowMs) {
        String cutoff = judgedIndexKey(nowMs - config.judgedRunRetention().toMillis(), "");
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = judgedIndex.range(judgedIndexKey(0, ""), cutoff)) {
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

    private static String judgedIndexKey(long judgedAtMs, String runId) {
        return String.format("%015d|%s", judgedAtMs, runId);
    }

    private void judge(RunState state, String incompleteReason, Record<String, byte[]> trigger) {
        RunCompleted completed = decode(state.getCompleted(), RunCompleted.class);
        RunStarted started = state.getStarted() == null ? null : decode(state.getStarted(), RunStarted.class);
        state.setJudged(true);
        judgedIndex.put(judgedIndexKey(context.currentSystemTimeMs(), state.getRunId()), context.currentSystemTimeMs());
        List<AlignmentResult> results = new ArrayList<>();
        for (ByteBuffer m : state.getMeasurements()) {
            if (codec.decode(toArray(m)) instanceof AlignmentResult r) {
                results.add(r);
            }
        }
        // measurements and trackers are no longer needed once judged; the event ids stay to refuse redeliveries
        state.setMeasurements(new ArrayList<>());
        Map<Integer, BurnInChannel> channels = new TreeMap<>();
        state.getBurnInChannels().forEach((k, v) -> channels.put(Integer.parseInt(k), BurnInChannel.fromBytes(toArray(v))));
        state.setBurnInChannels(new HashMap<>());
        if (!channels.isEmpty() || (started != null && started.getOperation() == Operation.BURNIN)) {
            // the unit leaves the rack: its status goes (a tombstone on the compacted status topic)
            burnInChanged.remove(state.getRunId());
            context.forward(new Record<>(state.getRunId(), new JudgeOutput(JudgeOutput.Kind.BURNIN_STATUS, null), outputTimestampMs));
        }
        if (started == null) {
            LOG.warn("run {} completed without a RunStarted; no verdict can name its unit's lot: {}", completed.getRunId(), incompleteReason);
            return;
        }
        LimitSet limits = limitsOf(started);
        Evaluation evaluation;
        if (incompleteReason != null) {
            evaluation = Evaluation.incomplete(incompleteReason);
        } else if (started.getOperation() == Operation.ALIGN) {
            List<ChannelValue> values = new ArrayList<>();
            for (AlignmentResult result : results) {
                for (ChannelAlignment channel : result.getChannels()) {
                    values.add(new ChannelValue(result.getStep().name(), channel.getChannel(), channel.getCouplingLossDb(), channel.getPdlDb()));
                }
            }
            evaluation = AlignmentRules.evaluate(limits, values, completed.getAborted(), completed.getMeasurementEvents(), results.size());
        } else {
            evaluation = BurnInRules.evaluate(limits, channels, completed.getAborted(), completed.getMeasurementEvents(),
                    state.getMeasurementCount());
        }
        long timestamp = completed.getEventTime().toEpochMilli();
        verdictsJudged.record();
        if (trigger != null) {
            verdictLatency.record(Math.max(0, context.currentSystemTimeMs() - trigger.timestamp()));
        }
        Verdict verdict = Verdict.newBuilder()
                .setEventId("verdict:" + started.getRunId())
                .setEventTime(completed.getEventTime())
                .setRunId(started.getRunId())
                .setSerial(started.getSerial())
                .setProduct(started.getProduct())
                .setLot(started.getLot())
                .setStation(started.getStation())
                .setOperation(started.getOperation())
                .setAttempt(started.getAttempt())
                .setRunStartTime(started.getEventTime())
                .setOutcome(Outcome.valueOf(evaluation.outcome().name()))
                .setLimitSetId(started.getLimitSetId())
                .setLimitSetVersion(limits == null ? null : limits.version())
                .setReason(evaluation.reason())
                .setFailedChecks(evaluation.failedChecks().stream().map(RunJudgeProcessor::toEvent).toList())
                .build();
        context.forward(new Record<>(started.getSerial(), new JudgeOutput(JudgeOutput.Kind.VERDICT, verdict), outputTimestampMs));
        updateYield(verdict);
        if (started.getOperation() == Operation.ALIGN && evaluation.outcome() != com.cpo.domain.Outcome.INCOMPLETE) {
            emitAlignmentValues(started, results, limits, timestamp, trigger);
        }
    }

    private void emitAlignmentValues(RunStarted started, List<AlignmentResult> results, LimitSet limits, long timestamp,
            Record<String, byte[]> trigger) {
        AlignmentResult last = results.stream().filter(r -> r.getStep() == AlignmentStep.POST_THERMAL).findFirst().orElse(null);
        if (last == null) {
            return;
        }
        double[] lossDb = new double[started.getChannelCount()];
        java.util.Arrays.fill(lossDb, Double.NaN);
        for (ChannelAlignment channel : last.getChannels()) {
            if (channel.getChannel() >= 1 && channel.getChannel() <= lossDb.length) {
                lossDb[channel.getChannel() - 1] = channel.getCouplingLossDb();
            }
        }
        // each channel's capability is against the limit that binds it: its own, else the all-channel one
        Double[] lower = new Double[lossDb.length];
        Double[] upper = new Double[lossDb.length];
        for (int ch = 1; limits != null && ch <= lossDb.length; ch++) {
            Limit limit = limits.binding(Parameters.COUPLING_LOSS, ch).orElse(null);
            lower[ch - 1] = limit == null ? null : limit.lower();
            upper[ch - 1] = limit == null ? null : limit.upper();
        }
        long runStartMs = started.getEventTime().toEpochMilli();
        boolean windowOpen = maxEventTimeMs == Long.MIN_VALUE || runStartMs >= maxEventTimeMs - config.hourlyWindowGrace().toMillis();
        if (!windowOpen && trigger != null) {
            correction(trigger, "run " + started.getRunId() + " started " + Instant.ofEpochMilli(runStartMs) + ", more than "
                    + config.hourlyWindowGrace().toHours() + " h before stream time " + Instant.ofEpochMilli(maxEventTimeMs)
                    + ": its hourly statistics window is closed; counted in all-time and per-lot statistics only");
        }
        JudgedAlignment judged = new JudgedAlignment(started.getProduct(), started.getLot(), started.getStation(), runStartMs, timestamp,
                lossDb, lower, upper, windowOpen);
        // each run's entry names its scopes and is appended to a chunk of a few runs: the store's cache folds
        // a chunk's updates within a commit into one changelog record (one record per run before), while a
        // chunk stays small enough to rewrite (one growing value would be rewritten in full on every run)
        if (chunkKey == null || chunkRuns >= RUNS_PER_CHUNK) {
            chunkKey = chunkKeyPrefix + (chunkSeq++);
            chunkRuns = 0;
        }
        byte[] entry = StatisticsBatch.bufferEntry(StatisticsBatch.scopesOf(judged), StatisticsBatch.append(null, judged));
        statsBuffer.put(chunkKey, StatisticsBatch.appendToChunk(statsBuffer.get(chunkKey), entry));
        chunkRuns++;
    }

    private void advanceStreamTime(long eventTimeMs) {
        if (eventTimeMs > maxEventTimeMs) {
            maxEventTimeMs = eventTimeMs;
            streamTime.put(STREAM_TIME_KEY, eventTimeMs);
        }
    }

    private LimitSet limitsOf(RunStarted started) {
        LimitSet cached = limitsByRun.get(started.getRunId());
        if (cached != null) {
            return cached;
        }
        LimitSet limits = limitSetInForce(started.getLimitSetId(), started.getEventTime());
        if (limits != null) {
            limitsByRun.put(started.getRunId(), limits);
        }
        return limits;
    }

    private LimitSet limitSetInForce(String limitSetId, Instant runStart) {
        List<LimitSet> versions = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = limitSets.prefixScan(limitSetId + "@", new StringSerializer())) {
            while (it.hasNext()) {
                Object value = it.next().value;
                byte[] bytes = value instanceof ValueAndTimestamp<?> vt ? (byte[]) vt.value() : (byte[]) value;
                versions.add(toDomain(codec.decode(bytes, com.cpo.events.LimitSet.class)));
            }
        }
        return LimitSet.inForceAt(versions, runStart);
    }

    static LimitSet toDomain(com.cpo.events.LimitSet event) {
        List<Limit> limits = event.getLimits().stream()
                .map(l -> new Limit(l.getParameter(), l.getChannel(), l.getLowerLimit(), l.getUpperLimit(), l.getUnitOfMeasure()))
                .toList();
        return new LimitSet(event.getLimitSetId(), event.getVersion(), event.getEffectiveFrom(), limits);
    }

    private static FailedCheck toEvent(com.cpo.domain.FailedCheck check) {
        return FailedCheck.newBuilder()
                .setParameter(check.parameter())
                .setStep(check.step() == null ? null : AlignmentStep.valueOf(check.step()))
                .setChannel(check.channel())
                .setValue(check.value())
                .setLowerLimit(check.lower())
                .setUpperLimit(check.upper())
                .setUnitOfMeasure(check.unitOfMeasure())
                .build();
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        LOG.warn("dead-lettered record with key {}: {}", record.key(), reason);
        context.forward(new Record<>(record.key(), new JudgeOutput(JudgeOutput.Kind.DEAD_LETTER, record.value()), record.timestamp(),
                withReason(record, reason)));
    }

    private void correction(Record<String, byte[]> record, String reason) {
        lateEvents.record();
        LOG.info("correction for key {}: {}", record.key(), reason);
        context.forward(new Record<>(record.key(), new JudgeOutput(JudgeOutput.Kind.CORRECTION, record.value()), record.timestamp(),
                withReason(record, reason)));
    }

    private Headers withReason(Record<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Topics.HEADER_DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(m -> {
            headers.add(Topics.HEADER_DLQ_SOURCE_TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DLQ_SOURCE_PARTITION, Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DLQ_SOURCE_OFFSET, Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        return headers;
    }

    private <T extends SpecificRecord> T decode(ByteBuffer bytes, Class<T> type) {
        return codec.decode(toArray(bytes), type);
    }

    /** The bytes of a buffer from the state (an Avro bytes field), whatever its position. */
    static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static String runIdOf(SpecificRecord event) {
        if (event instanceof RunStarted e) {
            return e.getRunId();
        } else if (event instanceof AlignmentResult e) {
            return e.getRunId();
        } else if (event instanceof BurnInReading e) {
            return e.getRunId();
        } else if (event instanceof RunCompleted e) {
            return e.getRunId();
        }
        return null;
    }

    private static String eventIdOf(SpecificRecord event) {
        return event.get(event.getSchema().getField("eventId").pos()).toString();
    }
}
