package com.cpo.analytics;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.cpo.schemas.Topics;

/**
 * Configuration of the analytics application. Every key has a default that works on the embedded
 * setup; each can be set as a system property or as an environment variable (upper case, dots and
 * dashes as underscores, e.g. {@code CPO_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * @param bootstrapServers {@code cpo.kafka.bootstrap-servers}: the Kafka brokers
 * @param applicationId {@code cpo.analytics.application-id}: Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir {@code cpo.analytics.state-dir}: where local state stores live; empty for a fresh temporary folder
 * @param stationEventsTopic {@code cpo.topics.station-events}
 * @param limitsTopic {@code cpo.topics.limits}
 * @param verdictsTopic {@code cpo.topics.verdicts}
 * @param deadLetterTopic {@code cpo.topics.dead-letter}
 * @param missingMeasurementsTimeout {@code cpo.analytics.missing-measurements-timeout-ms}: how long after a run's completion
 *        missing measurements are waited for before the run is judged INCOMPLETE
 */
public record AnalyticsConfig(String bootstrapServers, String applicationId, String stateDir, String stationEventsTopic,
        String limitsTopic, String verdictsTopic, String deadLetterTopic, Duration missingMeasurementsTimeout) {

    public static AnalyticsConfig defaults() {
        return new AnalyticsConfig("127.0.0.1:9092", "cpo-analytics", "", Topics.STATION_EVENTS.name(), Topics.LIMITS.name(),
                Topics.VERDICTS.name(), Topics.DEAD_LETTER.name(), Duration.ofSeconds(30));
    }

    /** Reads every key from {@code source} (system properties, then environment), falling back to the defaults. */
    public static AnalyticsConfig from(Map<String, String> env, Properties system) {
        AnalyticsConfig d = defaults();
        return new AnalyticsConfig(
                get("cpo.kafka.bootstrap-servers", d.bootstrapServers(), env, system),
                get("cpo.analytics.application-id", d.applicationId(), env, system),
                get("cpo.analytics.state-dir", d.stateDir(), env, system),
                get("cpo.topics.station-events", d.stationEventsTopic(), env, system),
                get("cpo.topics.limits", d.limitsTopic(), env, system),
                get("cpo.topics.verdicts", d.verdictsTopic(), env, system),
                get("cpo.topics.dead-letter", d.deadLetterTopic(), env, system),
                Duration.ofMillis(Long.parseLong(get("cpo.analytics.missing-measurements-timeout-ms",
                        Long.toString(d.missingMeasurementsTimeout().toMillis()), env, system))));
    }

    private static String get(String key, String fallback, Map<String, String> env, Properties system) {
        String value = system.getProperty(key);
        if (value == null) {
            value = env.get(key.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null ? fallback : value;
    }

    public AnalyticsConfig withBootstrapServers(String servers) {
        return new AnalyticsConfig(servers, applicationId, stateDir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout);
    }

    public AnalyticsConfig withStateDir(String dir) {
        return new AnalyticsConfig(bootstrapServers, applicationId, dir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout);
    }
}
