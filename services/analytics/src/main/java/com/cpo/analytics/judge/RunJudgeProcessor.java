package com.cpo.analytics.judge;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.burnin.BurnInWatch;
import com.cpo.analytics.config.AnalyticsConfig;
import com.cpo.analytics.state.Names;
import com.cpo.analytics.state.RunState;
import com.cpo.analytics.state.StateBytes;
import com.cpo.analytics.statistics.JudgedAlignment;
import com.cpo.analytics.statistics.StatisticsBuffer;
import com.cpo.analytics.yield.YieldBuffer;
import com.cpo.domain.AlignmentRules;
import com.cpo.domain.BurnInChannel;
import com.cpo.domain.BurnInRules;
import com.cpo.domain.ChannelValue;
import com.cpo.domain.Evaluation;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
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
import com.cpo.schemas.UndecodableEventException;

/**
 * Assembles each run from its station events (keyed by unit serial, so a unit's events meet here) and, once the run is
 * complete, judges it with the domain rules against the limit set in force at the run's start. What follows from a
 * verdict is handed to its concern: the unit's yield ({@link YieldBuffer}), the coupling-loss statistics
 * ({@link StatisticsBuffer}); while a burn-in run is in the rack, {@link BurnInWatch} watches it.
 *
 * <p>Redelivered events (same event id, or a burn-in reading not after the channel's latest) change nothing; a judged
 * run is never judged twice, and new events for it go to the corrections topic. Bytes that are not an event, and events
 * unfit to judge, go to the dead-letter topic with the reason in headers.
 */
public final class RunJudgeProcessor implements Processor<String, byte[], String, JudgeOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(RunJudgeProcessor.class);
    private static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(5);
    /** How often buffered statistics, yield deltas and rack statuses are sent on. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    static final String STREAM_TIME_KEY = "alignment-run-start-ms";

    private final AnalyticsConfig config;
    private final EventCodec codec = EventCodec.standard();
    private final DecodedRuns decoded = new DecodedRuns();
    private ProcessorContext<String, JudgeOutput> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<String, Long> streamTime;
    private JudgedRuns judgedRuns;
    private Limits limits;
    private JudgeMetrics metrics;
    private Emitter emit;
    private BurnInWatch burnIn;
    private YieldBuffer yield;
    private StatisticsBuffer statistics;
    /**
     * Latest alignment run start seen in this task: the stream time the hourly statistics windows' grace is measured
     * from. Kept in a changelogged store, so whether a late run counts in its hour does not depend on whether the
     * application restarted or the task moved in between.
     */
    private long maxEventTimeMs = Long.MIN_VALUE;

    public RunJudgeProcessor(AnalyticsConfig config) {
        this.config = config;
    }

    /** Every store the judge uses. */
    public static String[] stores() {
        List<String> stores = new ArrayList<>(List.of(Names.RUN_STORE, Names.STATS_BUFFER_STORE, Names.PENDING_RUNS_STORE,
                Names.JUDGED_INDEX_STORE, Names.STREAM_TIME_STORE));
        stores.addAll(YieldBuffer.stores());
        return stores.toArray(String[]::new);
    }

    @Override
    public void init(ProcessorContext<String, JudgeOutput> context) {
        this.context = context;
        this.runs = context.getStateStore(Names.RUN_STORE);
        this.streamTime = context.getStateStore(Names.STREAM_TIME_STORE);
        Long restored = streamTime.get(STREAM_TIME_KEY);
        this.maxEventTimeMs = restored == null ? Long.MIN_VALUE : restored;
        this.judgedRuns = new JudgedRuns(context);
        this.limits = new Limits(context);
        this.metrics = new JudgeMetrics(context);
        this.emit = new Emitter(context, metrics);
        this.burnIn = new BurnInWatch(config.burnInDuration(), emit);
        this.yield = new YieldBuffer(context, config.calendar());
        this.statistics = new StatisticsBuffer(context);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::judgeOverdueRuns);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> judgedRuns.compact(now, config.judgedRunRetention(), runs));
        context.schedule(FLUSH_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> {
            statistics.flush(emit::statistics);
            yield.flush(emit::yieldDelta);
            burnIn.flush(now, runs::get, decoded::startedOf, limits::of);
        });
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }

    /**
     * Judges what one station event changes. An event that cannot be decoded, or decodes but is unfit to judge
     * ({@link StationEventCheck}), goes to the dead-letter topic with its reason before it touches any state. A failure
     * while applying a valid event (a defect, not the event's) dead-letters it too, in the same transaction, so one
     * record never stops judging; Kafka's own exceptions (a fenced producer, a migrated task) go on to Kafka Streams.
     */
    @Override
    public void process(Record<String, byte[]> record) {
        emit.at(record.timestamp());
        SpecificRecord event;
        try {
            event = codec.decode(record.value());
        } catch (UndecodableEventException e) {
            emit.deadLetter(record, e.getMessage());
            return;
        }
        String runId = runIdOf(event);
        if (runId == null) {
            emit.deadLetter(record, "unexpected event type on the station-events topic: " + event.getClass().getSimpleName());
            return;
        }
        String problem = StationEventCheck.problem(event);
        if (problem != null) {
            emit.deadLetter(record, "invalid " + event.getClass().getSimpleName() + ": " + problem);
            return;
        }
        try {
            apply(record, event, runId);
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("judging failed for the {} of run {}; it goes to the dead-letter topic", event.getClass().getSimpleName(), runId, e);
            emit.deadLetter(record, "processing failed: " + e);
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
            String eventId = event.get(event.getSchema().getField("eventId").pos()).toString();
            if (state.getEventIds().contains(eventId)) {
                LOG.debug("ignoring redelivered event {} of run {}", eventId, runId);
                return;
            }
            if (state.getJudged()) {
                emit.correction(record, "arrived after run " + runId + " was judged; not counted in its verdict");
                return;
            }
            state.getEventIds().add(eventId);
            // a step's power-vs-position scan is the unit's history (the service stores it), not the judge's: the run's state
            // and the decoded cache keep the step without it
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            if (event instanceof AlignmentResult scanned && scanned.getScan() != null) {
                event = AlignmentResult.newBuilder(scanned).setScan(null).build();
                bytes = ByteBuffer.wrap(codec.encode(event));
            }
            if (event instanceof RunStarted started) {
                state.setStarted(bytes);
                decoded.started(started);
                if (started.getOperation() == Operation.ALIGN) {
                    // the hourly statistics windows are alignment windows: burn-in racks replaying days of readings
                    // must not move their stream time
                    advanceStreamTime(started.getEventTime().toEpochMilli());
                }
                for (ByteBuffer pending : state.getPendingReadings()) {
                    burnIn.track(state, codec.decode(StateBytes.of(pending), BurnInReading.class), started, limits.of(started), emit.timestampMs());
                }
                state.setPendingReadings(new ArrayList<>());
            } else if (event instanceof RunCompleted completed) {
                state.setCompleted(bytes);
                decoded.completed(completed);
                state.setCompletedWallClockMs(context.currentSystemTimeMs());
            } else {
                state.getMeasurements().add(bytes);
                state.setMeasurementCount(state.getMeasurementCount() + 1);
                if (event instanceof AlignmentResult result) {
                    decoded.result(result);
                }
            }
        }
        if (isComplete(state)) {
            if (!(event instanceof RunCompleted) && state.getCompletedWallClockMs() != null) {
                judgedRuns.notWaiting(runId); // it waited for this measurement
            }
            judge(state, null, record);
        } else if (event instanceof RunCompleted) {
            // only a run still missing measurements after its completion waits in the index
            judgedRuns.waiting(runId, state.getCompletedWallClockMs());
        }
        runs.put(runId, state);
    }

    /** Applies a burn-in reading; false when it changes nothing (a redelivery) or was sent elsewhere. */
    private boolean applyReading(RunState state, BurnInReading reading, Record<String, byte[]> record) {
        if (state.getJudged()) {
            emit.correction(record, "burn-in reading arrived after run " + state.getRunId() + " was judged; not counted in its verdict");
            return false;
        }
        if (state.getStarted() == null) {
            if (state.getEventIds().contains(reading.getEventId())) {
                return false;
            }
            state.getEventIds().add(reading.getEventId());
            state.getPendingReadings().add(ByteBuffer.wrap(record.value()));
            return true;
        }
        RunStarted started = decoded.startedOf(state);
        return burnIn.track(state, reading, started, limits.of(started), emit.timestampMs());
    }

    private boolean isComplete(RunState state) {
        if (state.getStarted() == null || state.getCompleted() == null) {
            return false;
        }
        RunCompleted completed = decoded.completedOf(state);
        return completed.getAborted() || state.getMeasurementCount() >= completed.getMeasurementEvents();
    }

    /** Runs whose measurements are still missing after the timeout since their completion become INCOMPLETE. */
    private void judgeOverdueRuns(long nowMs) {
        emit.at(nowMs);
        for (String runId : judgedRuns.overdue(nowMs, config.missingMeasurementsTimeout())) {
            RunState state = runs.get(runId);
            if (state != null && !state.getJudged()) {
                long s = config.missingMeasurementsTimeout().toSeconds();
                judge(state, state.getStarted() == null ? "run start missing after " + s + " s" : "measurements missing after " + s + " s", null);
                runs.put(runId, state);
            }
        }
    }

    private void judge(RunState state, String incompleteReason, Record<String, byte[]> trigger) {
        RunCompleted completed = decoded.completedOf(state);
        RunStarted started = decoded.startedOf(state);
        List<AlignmentResult> results = decoded.resultsOf(state);
        state.setJudged(true);
        judgedRuns.judged(state.getRunId(), context.currentSystemTimeMs());
        // measurements and trackers are no longer needed once judged; the event ids stay to refuse redeliveries
        state.setMeasurements(new ArrayList<>());
        Map<Integer, BurnInChannel> channels = new TreeMap<>();
        state.getBurnInChannels().forEach((k, v) -> channels.put(Integer.parseInt(k), BurnInChannel.fromBytes(StateBytes.of(v))));
        state.setBurnInChannels(new HashMap<>());
        decoded.forget(state.getRunId());
        if (!channels.isEmpty() || (started != null && started.getOperation() == Operation.BURNIN)) {
            burnIn.left(state.getRunId(), emit.timestampMs());
        }
        if (started == null) {
            LOG.warn("run {} completed without a RunStarted; no verdict can name its unit's lot: {}", completed.getRunId(), incompleteReason);
            return;
        }
        LimitSet limitSet = limits.of(started);
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
            evaluation = AlignmentRules.evaluate(limitSet, values, completed.getAborted(), completed.getMeasurementEvents(), results.size());
        } else {
            evaluation = BurnInRules.evaluate(limitSet, channels, completed.getAborted(), completed.getMeasurementEvents(),
                    state.getMeasurementCount());
        }
        metrics.verdictsJudged.record();
        if (trigger != null) {
            metrics.verdictLatency.record(Math.max(0, context.currentSystemTimeMs() - trigger.timestamp()));
        }
        Verdict verdict = verdict(started, completed, limitSet, evaluation);
        emit.verdict(verdict);
        yield.add(verdict);
        if (started.getOperation() == Operation.ALIGN && evaluation.outcome() != com.cpo.domain.Outcome.INCOMPLETE) {
            addStatistics(started, results, limitSet, completed.getEventTime().toEpochMilli(), trigger);
        }
    }

    private static Verdict verdict(RunStarted started, RunCompleted completed, LimitSet limitSet, Evaluation evaluation) {
        return Verdict.newBuilder()
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
                .setLimitSetVersion(limitSet == null ? null : limitSet.version())
                .setReason(evaluation.reason())
                .setFailedChecks(evaluation.failedChecks().stream().map(c -> FailedCheck.newBuilder()
                        .setParameter(c.parameter())
                        .setStep(c.step() == null ? null : AlignmentStep.valueOf(c.step()))
                        .setChannel(c.channel())
                        .setValue(c.value())
                        .setLowerLimit(c.lower())
                        .setUpperLimit(c.upper())
                        .setUnitOfMeasure(c.unitOfMeasure())
                        .build()).toList())
                .build();
    }

    /** The run's final (post-thermal) coupling loss to the statistics, each channel with the limit that binds it. */
    private void addStatistics(RunStarted started, List<AlignmentResult> results, LimitSet limitSet, long eventTimeMs,
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
        Double[] lower = new Double[lossDb.length];
        Double[] upper = new Double[lossDb.length];
        for (int ch = 1; limitSet != null && ch <= lossDb.length; ch++) {
            Limit limit = limitSet.binding(Parameters.COUPLING_LOSS, ch).orElse(null);
            lower[ch - 1] = limit == null ? null : limit.lower();
            upper[ch - 1] = limit == null ? null : limit.upper();
        }
        long runStartMs = started.getEventTime().toEpochMilli();
        boolean windowOpen = maxEventTimeMs == Long.MIN_VALUE || runStartMs >= maxEventTimeMs - config.hourlyWindowGrace().toMillis();
        if (!windowOpen && trigger != null) {
            emit.correction(trigger, "run " + started.getRunId() + " started " + Instant.ofEpochMilli(runStartMs) + ", more than "
                    + config.hourlyWindowGrace().toHours() + " h before stream time " + Instant.ofEpochMilli(maxEventTimeMs)
                    + ": its hourly statistics window is closed; counted in all-time and per-lot statistics only");
        }
        statistics.add(new JudgedAlignment(started.getProduct(), started.getLot(), started.getStation(), runStartMs, eventTimeMs, lossDb,
                lower, upper, windowOpen ? config.calendar().hourStart(started.getEventTime()) : null));
    }

    private void advanceStreamTime(long eventTimeMs) {
        if (eventTimeMs > maxEventTimeMs) {
            maxEventTimeMs = eventTimeMs;
            streamTime.put(STREAM_TIME_KEY, eventTimeMs);
        }
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
}
