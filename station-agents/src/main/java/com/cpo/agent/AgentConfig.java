package com.cpo.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What an agent needs to run.
 *
 * @param station id of the station this agent serves (checked against each file's header)
 * @param inputDir where the tester writes result files
 * @param archiveDir where files go once every event of them is acknowledged by Kafka
 * @param quarantineDir where malformed files go, each with a {@code .reason} file
 * @param bootstrapServers the Kafka brokers
 * @param topic the station-events topic
 * @param pollInterval how often the input folder is scanned
 */
public record AgentConfig(String station, Path inputDir, Path archiveDir, Path quarantineDir, String bootstrapServers, String topic,
        Duration pollInterval) {
}
