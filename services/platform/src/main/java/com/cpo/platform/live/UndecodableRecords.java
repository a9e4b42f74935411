package com.cpo.platform.live;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records of the analytics topics the dashboard feed could not decode: counted per topic in
 * {@code cpo.dashboard.records.undecodable} and logged at WARN, at most once per {@code logEvery} (with how many
 * were skipped since), so a topic full of them neither floods the log nor goes unnoticed. The storing consumers
 * send such records to the dead-letter topic; the dashboard only skips them.
 */
final class UndecodableRecords {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);

    private final MeterRegistry registry;
    private final long logEveryNanos;
    private final Map<String, Counter> counters = new HashMap<>();
    private long lastLogNanos;
    private boolean loggedOnce;
    private long skippedSinceLog;

    UndecodableRecords(MeterRegistry registry, Duration logEvery) {
        this.registry = registry;
        this.logEveryNanos = logEvery.toNanos();
    }

    /** Registers the counter of a topic, so it reads 0 before the first bad record. */
    void expect(String topic) {
        counter(topic);
    }

    /**
     * Counts one skipped record.
     *
     * @return whether it was logged
     */
    boolean skipped(String topic, int partition, long offset, Exception cause, long nowNanos) {
        counter(topic).increment();
        skippedSinceLog++;
        if (loggedOnce && nowNanos - lastLogNanos < logEveryNanos) {
            return false;
        }
        LOG.warnf("dashboard feed: skipped an undecodable record %s-%d@%d (%d skipped since the last such message): %s", topic,
                partition, offset, skippedSinceLog, cause);
        loggedOnce = true;
        lastLogNanos = nowNanos;
        skippedSinceLog = 0;
        return true;
    }

    private Counter counter(String topic) {
        return counters.computeIfAbsent(topic, t -> Counter.builder("cpo.dashboard.records.undecodable")
                .description("Records of the analytics topics the dashboard feed could not decode and skipped, by topic")
                .tag("topic", t).register(registry));
    }
}
