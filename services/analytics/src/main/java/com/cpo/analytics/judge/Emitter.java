package com.cpo.analytics.judge;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.burnin.BurnInWatch;
import com.cpo.analytics.yield.YieldContribution;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;

/**
 * Everything the judge sends downstream, typed ({@link JudgeOutput}), with the Kafka timestamp of the moment: the
 * triggering record's (when it reached Kafka), or wall-clock time in a punctuation. Never the tester's event time, which
 * stays in the payload: a tester clock ahead by more than the broker's tolerance would have every output refused.
 */
final class Emitter implements BurnInWatch.Outputs {

    private static final Logger LOG = LoggerFactory.getLogger(Emitter.class);
    private final ProcessorContext<String, JudgeOutput> context;
    private final JudgeMetrics metrics;
    private long timestampMs;

    Emitter(ProcessorContext<String, JudgeOutput> context, JudgeMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** What is sent from now on carries this timestamp. */
    void at(long timestampMs) {
        this.timestampMs = timestampMs;
    }

    long timestampMs() {
        return timestampMs;
    }

    void verdict(Verdict verdict) {
        context.forward(new Record<>(verdict.getSerial(), new JudgeOutput.VerdictOut(verdict), timestampMs));
    }

    @Override
    public void alarm(String serial, BurnInAlarm alarm) {
        context.forward(new Record<>(serial, new JudgeOutput.AlarmOut(alarm), timestampMs));
    }

    @Override
    public void status(String runId, BurnInStatus status, long at) {
        context.forward(new Record<>(runId, new JudgeOutput.StatusOut(status), at));
    }

    void statistics(String scope, byte[] entries) {
        context.forward(new Record<>(scope, new JudgeOutput.StatisticsOut(entries), context.currentSystemTimeMs()));
    }

    void yieldDelta(String group, YieldContribution delta) {
        context.forward(new Record<>(group, new JudgeOutput.YieldDeltaOut(delta), context.currentSystemTimeMs()));
    }

    void deadLetter(Record<String, byte[]> record, String reason) {
        LOG.warn("dead-lettered record with key {}: {}", record.key(), reason);
        context.forward(new Record<>(record.key(), new JudgeOutput.DeadLetterOut(record.value()), record.timestamp(), withReason(record, reason)));
    }

    void correction(Record<String, byte[]> record, String reason) {
        metrics.lateEvents.record();
        LOG.info("correction for key {}: {}", record.key(), reason);
        context.forward(new Record<>(record.key(), new JudgeOutput.CorrectionOut(record.value()), record.timestamp(), withReason(record, reason)));
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
}
