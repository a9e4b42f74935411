package com.cpo.analytics.statistics;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cpo.analytics.state.Names;
import com.cpo.events.CouplingLossStatistics;

/**
 * Coupling-loss statistics of one station and hour ({@code STATION_HOUR|product|station|hour}): each batch of
 * the hour's values is folded into the hour's window of the {@link Names#HOURLY_STATS_STORE} window
 * store (key {@code STATION_HOUR|product|station}), and the figures of the channels it changed are emitted.
 */
final class HourlyStatisticsProcessor implements Processor<String, byte[], String, CouplingLossStatistics> {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyStatisticsProcessor.class);
    private ProcessorContext<String, CouplingLossStatistics> context;
    private WindowStore<String, ScopeStatistics> hours;
    private Sensor expired;

    @Override
    public void init(ProcessorContext<String, CouplingLossStatistics> context) {
        this.context = context;
        this.hours = context.getStateStore(Names.HOURLY_STATS_STORE);
        this.expired = context.metrics().addSensor("hourly-statistics-expired-" + context.taskId(), Sensor.RecordingLevel.INFO);
        expired.add(new MetricName("hourly-statistics-expired-total", "cpo-analytics",
                "Batches of coupling-loss values for an hour already past the hourly statistics retention (counted all time and per lot only)",
                Map.of("task", context.taskId().toString())), new CumulativeCount());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String scopeKey = record.key();
        int lastBar = scopeKey.lastIndexOf('|');
        String station = scopeKey.substring(0, lastBar);
        long hourMs = Instant.parse(scopeKey.substring(lastBar + 1)).toEpochMilli();
        ScopeStatistics agg = hours.fetch(station, hourMs);
        agg = (agg == null ? new ScopeStatistics() : agg).add(new StatisticsBatch(scopeKey, record.value()));
        hours.put(station, agg, hourMs);
        if (hours.fetch(station, hourMs) == null) {
            // the window store refuses an hour older than its retention: said, counted, never silent
            expired.record();
            LOG.error("coupling-loss values for {} arrived after the hour left the hourly statistics retention; counted all time and per lot only",
                    scopeKey);
            return;
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
