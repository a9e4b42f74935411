package com.cpo.analytics.judge;

import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/** The judge's own metrics, per task (a sensor is found by name): they leave with the task. */
final class JudgeMetrics {

    private static final String GROUP = "cpo-analytics";
    private final ProcessingContext context;
    final Sensor lateEvents;
    final Sensor verdictLatency;
    final Sensor verdictsJudged;

    JudgeMetrics(ProcessingContext context) {
        this.context = context;
        Map<String, String> task = Map.of("task", context.taskId().toString());
        lateEvents = context.metrics().addSensor("late-station-events-" + context.taskId(), Sensor.RecordingLevel.INFO);
        lateEvents.add(new MetricName("late-station-events-total", GROUP,
                "Station events that arrived after their run was judged, or runs too old for their hourly window; sent to the corrections topic",
                task), new CumulativeCount());
        verdictLatency = context.metrics().addSensor("verdict-latency-" + context.taskId(), Sensor.RecordingLevel.INFO);
        verdictLatency.add(new MetricName("verdict-latency-avg-ms", GROUP,
                "Mean time from the record that completed a run reaching Kafka to its verdict being judged, ms (visible downstream at the next commit)",
                task), new Avg());
        verdictLatency.add(new MetricName("verdict-latency-max-ms", GROUP,
                "Longest time from the record that completed a run reaching Kafka to its verdict being judged, ms", task), new Max());
        verdictsJudged = context.metrics().addSensor("verdicts-judged-" + context.taskId(), Sensor.RecordingLevel.INFO);
        verdictsJudged.add(new MetricName("verdicts-total", GROUP, "Verdicts judged (INCOMPLETE ones after the timeout included)", task),
                new CumulativeCount());
    }

    void close() {
        context.metrics().removeSensor(lateEvents);
        context.metrics().removeSensor(verdictLatency);
        context.metrics().removeSensor(verdictsJudged);
    }
}
