package com.cpo.analytics.statistics;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.StatisticsScope;

/**
 * Folds each batch of a scope's coupling-loss values into the scope's distributions and emits the figures of the
 * channels it changed. All-time and per-lot scopes live in {@link Names#STATS_STORE}; a station's hours
 * ({@code STATION_HOUR|product|station|hour}) in the window store {@link Names#HOURLY_STATS_STORE}, one window per hour
 * (key {@code STATION_HOUR|product|station}), dropped with its segment after the retention. Both in one task, from one
 * repartition topic.
 */
final class StatisticsProcessor implements Processor<String, byte[], String, CouplingLossStatistics> {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsProcessor.class);
    private static final String HOURLY_PREFIX = StatisticsScope.STATION_HOUR + "|";
    private final long retentionMs;
    private ProcessorContext<String, CouplingLossStatistics> context;
    private TimestampedKeyValueStore<String, ScopeStatistics> scopes;
    private WindowStore<String, ScopeStatistics> hours;
    private Sensor expired;
    /** The latest hour this task has put (the window store's own stream time): what the retention is counted back from. */
    private long latestHourMs = Long.MIN_VALUE;

    StatisticsProcessor(java.time.Duration hourlyRetention) {
        this.retentionMs = hourlyRetention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, CouplingLossStatistics> context) {
        this.context = context;
        this.scopes = context.getStateStore(Names.STATS_STORE);
        this.hours = context.getStateStore(Names.HOURLY_STATS_STORE);
        this.expired = context.metrics().addSensor("hourly-statistics-expired-" + context.taskId(), Sensor.RecordingLevel.INFO);
        expired.add(new MetricName("hourly-statistics-expired-total", "cpo-analytics",
                "Batches of coupling-loss values for an hour already past the hourly statistics retention (counted all time and per lot only)",
                Map.of("task", context.taskId().toString())), new CumulativeCount());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String scopeKey = record.key();
        StatisticsBatch batch = new StatisticsBatch(scopeKey, record.value());
        ScopeStatistics agg;
        if (scopeKey.startsWith(HOURLY_PREFIX)) {
            int lastBar = scopeKey.lastIndexOf('|');
            String station = scopeKey.substring(0, lastBar);
            long hourMs = Instant.parse(scopeKey.substring(lastBar + 1)).toEpochMilli();
            if (latestHourMs != Long.MIN_VALUE && hourMs + retentionMs <= latestHourMs) {
                // the window store would drop an hour older than its retention: said, counted, never silent
                expired.record();
                LOG.error("coupling-loss values for {} arrived after the hour left the hourly statistics retention; counted all time and per lot only",
                        scopeKey);
                return;
            }
            latestHourMs = Math.max(latestHourMs, hourMs);
            ScopeStatistics before = hours.fetch(station, hourMs);
            agg = (before == null ? new ScopeStatistics() : before).add(batch);
            hours.put(station, agg, hourMs);
        } else {
            ValueAndTimestamp<ScopeStatistics> before = scopes.get(scopeKey);
            agg = (before == null ? new ScopeStatistics() : before.value()).add(batch);
            scopes.put(scopeKey, ValueAndTimestamp.make(agg, record.timestamp()));
        }
        for (Integer channel : agg.lastChanged) {
            String key = scopeKey + "|" + channel;
            context.forward(new Record<>(key, StatisticsTopology.toStatistics(key, agg.channels.get(channel)), record.timestamp()));
        }
    }

    @Override
    public void close() {
        if (context != null) {
            context.metrics().removeSensor(expired);
        }
    }
}
