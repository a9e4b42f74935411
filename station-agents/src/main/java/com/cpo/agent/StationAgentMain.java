package com.cpo.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.cpo.schemas.Topics;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the station agent. */
@Command(name = "station-agent", mixinStandardHelpOptions = true,
        description = "Publishes the result files a tester writes to Kafka, without losing a measurement.")
public final class StationAgentMain implements Callable<Integer> {

    @Option(names = "--station", required = true, description = "Id of the station this agent serves, e.g. AA-01.")
    String station;

    @Option(names = "--input", required = true, description = "Folder the tester writes result files (*.align) to.")
    Path input;

    @Option(names = "--archive", description = "Folder for files whose events Kafka acknowledged. Default: INPUT/../archive.")
    Path archive;

    @Option(names = "--quarantine", description = "Folder for malformed files and their .reason files. Default: INPUT/../quarantine.")
    Path quarantine;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--topic", description = "Station-events topic. Default: ${DEFAULT-VALUE}.")
    String topic = Topics.STATION_EVENTS.name();

    @Option(names = "--poll-interval-ms", defaultValue = "200", description = "How often the input folder is scanned, ms. Default: ${DEFAULT-VALUE}.")
    long pollIntervalMs;

    @Override
    public Integer call() {
        Path parent = input.toAbsolutePath().getParent();
        AgentConfig config = new AgentConfig(station, input, archive != null ? archive : parent.resolve("archive"),
                quarantine != null ? quarantine : parent.resolve("quarantine"), bootstrapServers, topic, Duration.ofMillis(pollIntervalMs));
        StationAgent agent = new StationAgent(config);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            main.interrupt();
        }, "stop-agent"));
        agent.run();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StationAgentMain()).execute(args));
    }
}
