package com.cpo.analytics.config;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.cpo.domain.PlantCalendar;
import com.cpo.schemas.KafkaAccess;
import com.cpo.schemas.Topics;

/**
 * Configuration of the analytics application. Every key has a default that works on the embedded
 * setup; each can be set as a system property or as an environment variable (upper case, dots and
 * dashes as underscores, e.g. {@code CPO_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * @param bootstrapServers {@code cpo.kafka.bootstrap-servers}: the Kafka brokers
 * @param applicationId {@code cpo.analytics.application-id}: Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir {@code cpo.analytics.state-dir}: where local state stores live; empty for a fresh temporary folder
 * @param missingMeasurementsTimeout {@code cpo.analytics.missing-measurements-timeout-ms}: how long after a run's completion
 *        missing measurements are waited for before the run is judged INCOMPLETE
 * @param hourlyWindowGrace {@code cpo.analytics.hourly-window-grace-ms}: how far behind stream time a run may start and
 *        still count in its hourly statistics window; later runs go to the corrections topic for that window
 * @param burnInDuration {@code cpo.analytics.burnin-duration-ms} (formerly {@code cpo.analytics.alarm-horizon-ms}, still read):
 *        the planned burn-in duration; a drift projected beyond its limit by the end of it raises an alarm
 * @param queryPort {@code cpo.analytics.query-port}: port of the interactive-query HTTP endpoint (on {@code queryHost}); 0 for a
 *        free port, -1 for none
 * @param judgedRunRetention {@code cpo.analytics.judged-run-retention-ms}: how long a judged run keeps its event ids (to
 *        ignore redeliveries); after it, only the fact that it was judged is kept, and its events go to corrections
 * @param queryHost {@code cpo.analytics.query-host}: address the interactive-query and metrics endpoint listens on;
 *        {@code 127.0.0.1} by default, {@code 0.0.0.0} in a container that Prometheus scrapes
 * @param burnInStatusTopic {@code cpo.topics.burnin-status}: where each unit in a burn-in rack stands now, compacted
 * @param hourlyStatisticsRetention {@code cpo.analytics.hourly-statistics-retention-ms}: how long the hourly coupling-loss
 *        statistics windows are kept in the window store (and answered by interactive queries); at least the grace plus an hour
 * @param calendar the plant's zone and shifts ({@code cpo.plant.zone}, {@code cpo.plant.shifts}): the hours, shifts and days
 *        of yield and statistics, read by the service too
 */
public record AnalyticsConfig(String bootstrapServers, String applicationId, String stateDir, String stationEventsTopic,
        String limitsTopic, String verdictsTopic, String deadLetterTopic, Duration missingMeasurementsTimeout, String yieldTopic,
        String rtyTopic, String statsTopic, String alarmsTopic, String correctionsTopic, Duration hourlyWindowGrace,
        Duration burnInDuration, int queryPort, Duration judgedRunRetention, String queryHost,
        String burnInStatusTopic, Duration hourlyStatisticsRetention, PlantCalendar calendar) {

    public AnalyticsConfig {
        if (hourlyStatisticsRetention.compareTo(hourlyWindowGrace.plusHours(1)) < 0) {
            throw new IllegalArgumentException("cpo.analytics.hourly-statistics-retention-ms (" + hourlyStatisticsRetention
                    + ") must be at least cpo.analytics.hourly-window-grace-ms (" + hourlyWindowGrace + ") plus one hour");
        }
    }

    public static AnalyticsConfig defaults() {
        return new AnalyticsConfig("127.0.0.1:9092", KafkaAccess.DEFAULT_ANALYTICS_APPLICATION_ID, "", Topics.STATION_EVENTS.name(), Topics.LIMITS.name(),
                Topics.VERDICTS.name(), Topics.DEAD_LETTER.name(), Duration.ofSeconds(30), Topics.YIELD.name(), Topics.RTY.name(),
                Topics.COUPLING_LOSS_STATS.name(), Topics.BURNIN_ALARMS.name(), Topics.CORRECTIONS.name(), Duration.ofHours(72),
                Duration.ofHours(24), 8091, Duration.ofHours(24), "127.0.0.1", Topics.BURNIN_STATUS.name(), Duration.ofDays(14), PlantCalendar.defaults());
    }

    /** Reads every key from system properties, then the environment, falling back to the defaults. */
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
                millis("cpo.analytics.missing-measurements-timeout-ms", d.missingMeasurementsTimeout(), env, system),
                get("cpo.topics.yield", d.yieldTopic(), env, system),
                get("cpo.topics.rty", d.rtyTopic(), env, system),
                get("cpo.topics.coupling-loss-stats", d.statsTopic(), env, system),
                get("cpo.topics.burnin-alarms", d.alarmsTopic(), env, system),
                get("cpo.topics.corrections", d.correctionsTopic(), env, system),
                millis("cpo.analytics.hourly-window-grace-ms", d.hourlyWindowGrace(), env, system),
                millis("cpo.analytics.burnin-duration-ms", millis("cpo.analytics.alarm-horizon-ms", d.burnInDuration(), env, system), env, system),
                Integer.parseInt(get("cpo.analytics.query-port", Integer.toString(d.queryPort()), env, system)),
                millis("cpo.analytics.judged-run-retention-ms", d.judgedRunRetention(), env, system),
                get("cpo.analytics.query-host", d.queryHost(), env, system),
                get("cpo.topics.burnin-status", d.burnInStatusTopic(), env, system),
                millis("cpo.analytics.hourly-statistics-retention-ms", d.hourlyStatisticsRetention(), env, system),
                PlantCalendar.from(env, system));
    }

    private static Duration millis(String key, Duration fallback, Map<String, String> env, Properties system) {
        return Duration.ofMillis(Long.parseLong(get(key, Long.toString(fallback.toMillis()), env, system)));
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
                missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic, hourlyWindowGrace,
                burnInDuration, queryPort, judgedRunRetention, queryHost, burnInStatusTopic, hourlyStatisticsRetention, calendar);
    }

    public AnalyticsConfig withStateDir(String dir) {
        return new AnalyticsConfig(bootstrapServers, applicationId, dir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic, hourlyWindowGrace,
                burnInDuration, queryPort, judgedRunRetention, queryHost, burnInStatusTopic, hourlyStatisticsRetention, calendar);
    }

    public AnalyticsConfig withQueryPort(int port) {
        return new AnalyticsConfig(bootstrapServers, applicationId, stateDir, stationEventsTopic, limitsTopic, verdictsTopic,
                deadLetterTopic, missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic,
                hourlyWindowGrace, burnInDuration, port, judgedRunRetention, queryHost, burnInStatusTopic, hourlyStatisticsRetention, calendar);
    }

    public AnalyticsConfig withHourlyWindowGrace(Duration grace) {
        return new AnalyticsConfig(bootstrapServers, applicationId, stateDir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic, grace,
                burnInDuration, queryPort, judgedRunRetention, queryHost, burnInStatusTopic,
                hourlyStatisticsRetention.compareTo(grace.plusHours(1)) < 0 ? grace.plusHours(1) : hourlyStatisticsRetention, calendar);
    }

    public AnalyticsConfig withCalendar(PlantCalendar c) {
        return new AnalyticsConfig(bootstrapServers, applicationId, stateDir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic, hourlyWindowGrace,
                burnInDuration, queryPort, judgedRunRetention, queryHost, burnInStatusTopic, hourlyStatisticsRetention, c);
    }

    public AnalyticsConfig withApplicationId(String id) {
        return new AnalyticsConfig(bootstrapServers, id, stateDir, stationEventsTopic, limitsTopic, verdictsTopic, deadLetterTopic,
                missingMeasurementsTimeout, yieldTopic, rtyTopic, statsTopic, alarmsTopic, correctionsTopic, hourlyWindowGrace,
                burnInDuration, queryPort, judgedRunRetention, queryHost, burnInStatusTopic, hourlyStatisticsRetention, calendar);
    }
}
