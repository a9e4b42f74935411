package com.cpo.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import com.cpo.schemas.Topics;

/**
 * What an agent needs to run. Every value but the station and the input folder has a default
 * ({@link #defaults(String, Path)}); the command line and the config file set them (see
 * {@code station-agents/README.md}).
 *
 * @param station id of the station this agent serves (checked against each alignment file's header)
 * @param inputDir where the tester writes result files ({@code *.align}) and burn-in logs ({@code *.burnin})
 * @param archiveDir where alignment files go once every event of them is in the spool
 * @param quarantineDir where malformed files and lines go, each with a {@code .reason} file
 * @param spoolDir where the durable spool (SQLite, WAL mode) lives
 * @param spoolMaxBytes quota of the spool: payload bytes of unsent events above which no input is taken
 * @param spoolMinFreeDiskBytes free disk space below which no input is taken either
 * @param groupCommitEvents events gathered into one spool transaction (one fsync) at most
 * @param bootstrapServers the Kafka brokers
 * @param topic the station-events topic
 * @param verdictsTopic the verdicts topic the agent follows for its own station
 * @param verdictsDir where verdict files are written; null to follow no verdicts
 * @param pollInterval how often the input folder is scanned
 * @param truncatedAfter how long an alignment file without {@code [end]} is taken as still being written
 * @param statusPort port of the status endpoint on 127.0.0.1; 0 for any free port, -1 for none
 * @param maxInFlight events sent to Kafka and not yet acknowledged, at most
 * @param compression the producer's compression ({@code none}, {@code lz4}, {@code zstd}, ...)
 * @param statusHost address the status endpoint listens on: {@code 127.0.0.1} (default), or the PC's address for a
 *     Prometheus server elsewhere to scrape {@code /metrics}
 * @param kafkaSecurity Kafka client security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) from the
 *     client-config file ({@code --kafka-client-config}, see {@link com.cpo.schemas.KafkaClientConfig}); empty for plain connections
 */
public record AgentConfig(String station, Path inputDir, Path archiveDir, Path quarantineDir, Path spoolDir, long spoolMaxBytes,
        long spoolMinFreeDiskBytes, int groupCommitEvents, String bootstrapServers, String topic, String verdictsTopic, Path verdictsDir,
        Duration pollInterval, Duration truncatedAfter, int statusPort, int maxInFlight, String compression,
        String statusHost, Properties kafkaSecurity) {

    public AgentConfig {
        Properties copy = new Properties();
        copy.putAll(kafkaSecurity);
        kafkaSecurity = copy;
    }

    /** The settings every Kafka client of the agent starts from: the brokers and the security settings. */
    public Properties kafkaClient() {
        Properties props = new Properties();
        props.putAll(kafkaSecurity);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_SPOOL_MIN_FREE_DISK_BYTES = 256L << 20;
    public static final int DEFAULT_GROUP_COMMIT_EVENTS = 20_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 20_000;
    /** None: a tester PC's CPU is the limit on a factory LAN, not the network; set lz4 or zstd for a slow link. */
    public static final String DEFAULT_COMPRESSION = "none";
    public static final String DEFAULT_STATUS_HOST = "127.0.0.1";

    /** The earlier shape of the config: spool next to the input folder, every other value its default. */
    public AgentConfig(String station, Path inputDir, Path archiveDir, Path quarantineDir, String bootstrapServers, String topic,
            Duration pollInterval) {
        this(station, inputDir, archiveDir, quarantineDir, sibling(inputDir, "spool"), DEFAULT_SPOOL_MAX_BYTES,
                DEFAULT_SPOOL_MIN_FREE_DISK_BYTES, DEFAULT_GROUP_COMMIT_EVENTS, bootstrapServers, topic, Topics.VERDICTS.name(), null,
                pollInterval, Duration.ofSeconds(60), -1, DEFAULT_MAX_IN_FLIGHT, DEFAULT_COMPRESSION, DEFAULT_STATUS_HOST, new Properties());
    }

    /** Every default, folders beside the input folder. */
    public static AgentConfig defaults(String station, Path inputDir) {
        return new AgentConfig(station, inputDir, sibling(inputDir, "archive"), sibling(inputDir, "quarantine"), sibling(inputDir, "spool"),
                DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MIN_FREE_DISK_BYTES, DEFAULT_GROUP_COMMIT_EVENTS, "127.0.0.1:9092",
                Topics.STATION_EVENTS.name(), Topics.VERDICTS.name(), inputDir, Duration.ofMillis(200), Duration.ofSeconds(60), 0,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_COMPRESSION, DEFAULT_STATUS_HOST, new Properties());
    }

    static Path sibling(Path dir, String name) {
        Path parent = dir.toAbsolutePath().getParent();
        return parent == null ? dir.resolve(name) : parent.resolve(name);
    }

    public AgentConfig withKafka(String servers, String eventsTopic) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                servers, eventsTopic, verdictsTopic, verdictsDir, pollInterval, truncatedAfter, statusPort, maxInFlight, compression, statusHost, kafkaSecurity);
    }

    public AgentConfig withVerdicts(String topicName, Path dir) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, topicName, dir, pollInterval, truncatedAfter, statusPort, maxInFlight, compression, statusHost, kafkaSecurity);
    }

    public AgentConfig withSpool(Path dir, long maxBytes) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, dir, maxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, verdictsTopic, verdictsDir, pollInterval, truncatedAfter, statusPort, maxInFlight, compression, statusHost, kafkaSecurity);
    }

    public AgentConfig withKafkaSecurity(Properties security) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, verdictsTopic, verdictsDir, pollInterval, truncatedAfter, statusPort, maxInFlight, compression, statusHost,
                security);
    }

    public AgentConfig withStatusPort(int port) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, verdictsTopic, verdictsDir, pollInterval, truncatedAfter, port, maxInFlight, compression, statusHost, kafkaSecurity);
    }

    public AgentConfig withStatusHost(String host) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, verdictsTopic, verdictsDir, pollInterval, truncatedAfter, statusPort, maxInFlight, compression, host, kafkaSecurity);
    }

    public AgentConfig withTimings(Duration poll, Duration truncated) {
        return new AgentConfig(station, inputDir, archiveDir, quarantineDir, spoolDir, spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents,
                bootstrapServers, topic, verdictsTopic, verdictsDir, poll, truncated, statusPort, maxInFlight, compression, statusHost, kafkaSecurity);
    }
}
