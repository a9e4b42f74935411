package com.cpo.analytics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.RunState;
import com.cpo.domain.AlignmentRules;
import com.cpo.domain.ChannelValue;
import com.cpo.domain.Evaluation;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
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
import com.cpo.schemas.Topics;
import com.cpo.schemas.UndecodableEventException;

/**
 * Assembles each run from its station events (keyed by unit serial, so a unit's events meet here) and,
 * once the run is complete, judges it with the domain rules against the limit set in force at the run's
 * start. Redelivered events (same event id) change nothing; a judged run is never judged twice. Bytes
 * that are not an event go to the dead-letter topic with the reason in headers.
 */
final class RunJudgeProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(RunJudgeProcessor.class);
    private static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(5);

    private final AnalyticsConfig config;
    private final EventCodec codec = EventCodec.standard();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunState> runs;
    private ReadOnlyKeyValueStore<String, byte[]> limitSets;

    RunJudgeProcessor(AnalyticsConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.runs = context.getStateStore(AnalyticsTopology.RUN_STORE);
        this.limitSets = limitStore(context);
        context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::judgeOverdueRuns);
    }

    @SuppressWarnings("unchecked")
    private static ReadOnlyKeyValueStore<String, byte[]> limitStore(ProcessorContext<String, Object> context) {
        Object store = context.getStateStore(AnalyticsTopology.LIMITS_STORE);
        return (ReadOnlyKeyValueStore<String, byte[]>) store;
    }

    @Override
    public void process(Record<String, byte[]> record) {
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
        String eventId = eventIdOf(event);
        RunState state = runs.get(runId);
        if (state == null) {
            state = RunState.newBuilder().setRunId(runId).setMeasurements(new ArrayList<>()).setEventIds(new ArrayList<>()).build();
        }
        if (state.getJudged() || state.getEventIds().contains(eventId)) {
            LOG.debug("ignoring redelivered or late event {} of run {}", eventId, runId);
            return;
        }
        state.getEventIds().add(eventId);
        ByteBuffer bytes = ByteBuffer.wrap(record.value());
        if (event instanceof RunStarted) {
            state.setStarted(bytes);
        } else if (event instanceof RunCompleted) {
            state.setCompleted(bytes);
            state.setCompletedWallClockMs(context.currentSystemTimeMs());
        } else {
            state.getMeasurements().add(bytes);
        }
        if (isComplete(state)) {
            judge(state, null);
        }
        runs.put(runId, state);
    }

    private boolean isComplete(RunState state) {
        if (state.getStarted() == null || state.getCompleted() == null) {
            return false;
        }
        RunCompleted completed = decode(state.getCompleted(), RunCompleted.class);
        return completed.getAborted() || state.getMeasurements().size() >= completed.getMeasurementEvents();
    }

    /** Runs whose completion arrived but whose measurements are still missing after the timeout become INCOMPLETE. */
    private void judgeOverdueRuns(long nowMs) {
        List<KeyValue<String, RunState>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, RunState> all = runs.all()) {
            while (all.hasNext()) {
                KeyValue<String, RunState> entry = all.next();
                RunState state = entry.value;
                if (!state.getJudged() && state.getCompletedWallClockMs() != null
                        && nowMs - state.getCompletedWallClockMs() >= config.missingMeasurementsTimeout().toMillis()) {
                    overdue.add(entry);
                }
            }
        }
        for (KeyValue<String, RunState> entry : overdue) {
            RunState state = entry.value;
            String reason = state.getStarted() == null ? "run start missing after " + config.missingMeasurementsTimeout().toSeconds() + " s"
                    : "measurements missing after " + config.missingMeasurementsTimeout().toSeconds() + " s";
            judge(state, reason);
            runs.put(entry.key, state);
        }
    }

    private void judge(RunState state, String incompleteReason) {
        RunCompleted completed = decode(state.getCompleted(), RunCompleted.class);
        RunStarted started = state.getStarted() == null ? null : decode(state.getStarted(), RunStarted.class);
        state.setJudged(true);
        // the measurements are no longer needed once judged; the event ids stay to refuse redeliveries
        List<AlignmentResult> results = new ArrayList<>();
        for (ByteBuffer m : state.getMeasurements()) {
            SpecificRecord event = codec.decode(toArray(m));
            if (event instanceof AlignmentResult r) {
                results.add(r);
            }
        }
        state.setMeasurements(new ArrayList<>());
        if (started == null) {
            LOG.warn("run {} completed without a RunStarted; no verdict can name its unit's lot: {}", completed.getRunId(), incompleteReason);
            return;
        }
        Evaluation evaluation;
        LimitSet limits = limitSetInForce(started.getLimitSetId(), started.getEventTime());
        if (incompleteReason != null) {
            evaluation = Evaluation.incomplete(incompleteReason);
        } else if (started.getOperation() == Operation.ALIGN) {
            Set<AlignmentStep> steps = new HashSet<>();
            List<ChannelValue> values = new ArrayList<>();
            for (AlignmentResult result : results) {
                steps.add(result.getStep());
                for (ChannelAlignment channel : result.getChannels()) {
                    values.add(new ChannelValue(result.getStep().name(), channel.getChannel(), channel.getCouplingLossDb()));
                }
            }
            evaluation = AlignmentRules.evaluate(limits, values, completed.getAborted(), completed.getMeasurementEvents(), results.size());
        } else {
            evaluation = Evaluation.incomplete("no verdict rules for " + started.getOperation() + " yet");
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
        context.forward(new Record<String, Object>(started.getSerial(), verdict, completed.getEventTime().toEpochMilli()),
                AnalyticsTopology.VERDICTS_SINK);
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
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(Topics.HEADER_DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent((RecordMetadata m) -> {
            headers.add(Topics.HEADER_DLQ_SOURCE_TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DLQ_SOURCE_PARTITION, Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DLQ_SOURCE_OFFSET, Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
        });
        LOG.warn("dead-lettered record with key {}: {}", record.key(), reason);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                AnalyticsTopology.DEAD_LETTER_SINK);
    }

    private <T extends SpecificRecord> T decode(ByteBuffer bytes, Class<T> type) {
        return codec.decode(toArray(bytes), type);
    }

    private static byte[] toArray(ByteBuffer buffer) {
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
