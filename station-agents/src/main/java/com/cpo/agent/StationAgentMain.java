package com.cpo.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.cpo.schemas.KafkaClientConfig;
import com.cpo.schemas.Topics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.PropertiesDefaultProvider;
import picocli.CommandLine;

/**
 * Command line of the station agent. Every option can also be set in a config file ({@code --config
 * FILE}, Java properties, the option's name without the dashes as key, e.g. {@code spool-max-bytes=...});
 * the command line wins over the file, the file over the defaults.
 */
@Command(name = "station-agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes what a tester writes to Kafka, through a durable local spool, without losing a measurement.")
public final class StationAgentMain implements Callable<Integer> {

    @Option(names = "--config", description = "Config file (Java properties; keys are the option names without dashes).")
    Path config;

    @Option(names = "--station", description = "Id of the station this agent serves, e.g. AA-01 or BI-01 (required).")
    String station;

    @Option(names = "--input", description = "Folder the tester writes result files (*.align) and burn-in logs (*.burnin) to (required).")
    Path input;

    @Option(names = "--archive", description = "Folder for alignment files once spooled. Default: INPUT/../archive.")
    Path archive;

    @Option(names = "--quarantine", description = "Folder for malformed files and lines with their .reason files. Default: INPUT/../quarantine.")
    Path quarantine;

    @Option(names = "--spool", description = "Folder of the durable spool (SQLite). Default: INPUT/../spool.")
    Path spool;

    @Option(names = "--spool-max-bytes", defaultValue = "1073741824",
            description = "Quota: payload bytes of unsent events above which input waits. Default: ${DEFAULT-VALUE}.")
    long spoolMaxBytes;

    @Option(names = "--spool-min-free-disk-bytes", defaultValue = "268435456",
            description = "Free disk space under the spool below which input waits. Default: ${DEFAULT-VALUE}.")
    long spoolMinFreeDiskBytes;

    @Option(names = "--group-commit-events", defaultValue = "20000", description = "Events per spool transaction at most. Default: ${DEFAULT-VALUE}.")
    int groupCommitEvents;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--kafka-client-config", description = "Kafka client security settings (Java properties: security.protocol, "
            + "sasl.*, ssl.*), secrets in it (owner-readable only) or through ${env:VAR} / ${file:PATH:KEY}; never on this command line. "
            + "Default: the file named by CPO_KAFKA_CLIENT_CONFIG, else plain connections.")
    Path kafkaClientConfig;

    @Option(names = "--topic", description = "Station-events topic. Default: ${DEFAULT-VALUE}.")
    String topic = Topics.STATION_EVENTS.name();

    @Option(names = "--verdicts-topic", description = "Verdicts topic followed for this station. Default: ${DEFAULT-VALUE}.")
    String verdictsTopic = Topics.VERDICTS.name();

    @Option(names = "--verdicts", description = "Folder verdict files are written to. Default: INPUT (next to the result files).")
    Path verdicts;

    @Option(names = "--no-verdicts", description = "Do not follow verdicts.")
    boolean noVerdicts;

    @Option(names = "--poll-interval-ms", defaultValue = "200", description = "How often the input folder is scanned, ms. Default: ${DEFAULT-VALUE}.")
    long pollIntervalMs;

    @Option(names = "--truncated-after-ms", defaultValue = "60000",
            description = "How long an alignment file without [end] is taken as still being written, ms. Default: ${DEFAULT-VALUE}.")
    long truncatedAfterMs;

    @Option(names = "--status-port", defaultValue = "0",
            description = "Port of the status endpoint on 127.0.0.1; 0 = any free port (written to SPOOL/status-url), -1 = none. Default: ${DEFAULT-VALUE}.")
    int statusPort;

    @Option(names = "--status-host", defaultValue = AgentConfig.DEFAULT_STATUS_HOST,
            description = "Address the status endpoint listens on; the PC's own address lets a Prometheus server scrape /metrics. Default: ${DEFAULT-VALUE}.")
    String statusHost;

    @Option(names = "--max-in-flight", defaultValue = "20000", description = "Events sent and not yet acknowledged, at most. Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    @Option(names = "--compression", defaultValue = "none",
            description = "Producer compression: none, lz4, zstd, snappy, gzip. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(names = "--check", description = "Validate tester files (FILES, or every file in INPUT) and exit: 0 when all are good, 1 otherwise. Sends nothing.")
    boolean check;

    @Parameters(arity = "0..*", paramLabel = "FILES", description = "Files to validate with --check.")
    List<Path> files = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    AgentConfig config() {
        if (station == null || station.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--station' (or station= in the config file)");
        }
        if (input == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--input' (or input= in the config file)");
        }
        return new AgentConfig(station, input, archive != null ? archive : AgentConfig.sibling(input, "archive"),
                quarantine != null ? quarantine : AgentConfig.sibling(input, "quarantine"), spool != null ? spool : AgentConfig.sibling(input, "spool"),
                spoolMaxBytes, spoolMinFreeDiskBytes, groupCommitEvents, bootstrapServers, topic, verdictsTopic,
                noVerdicts ? null : verdicts != null ? verdicts : input, Duration.ofMillis(pollIntervalMs), Duration.ofMillis(truncatedAfterMs),
                statusPort, maxInFlight, compression, statusHost, kafkaSecurity());
    }

    private java.util.Properties kafkaSecurity() {
        try {
            return kafkaClientConfig != null ? KafkaClientConfig.read(kafkaClientConfig)
                    : KafkaClientConfig.load(System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        if (check) {
            return check();
        }
        StationAgent agent = new StationAgent(config());
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            main.interrupt();
        }, "stop-agent"));
        agent.run();
        return 0;
    }

    private int check() throws IOException {
        List<Path> targets = new ArrayList<>(files);
        if (targets.isEmpty()) {
            if (input == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--check needs FILES or --input");
            }
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(input, "*{" + AlignmentFile.SUFFIX + "," + BurnInLog.SUFFIX + "}")) {
                dir.forEach(targets::add);
            }
            targets.sort(null);
        }
        PrintWriter out = spec.commandLine().getOut();
        int bad = 0;
        for (Path file : targets) {
            List<String> problems = FileCheck.check(file, station);
            if (problems.isEmpty()) {
                out.println("OK   " + file);
            } else {
                bad++;
                problems.forEach(p -> out.println("BAD  " + p));
            }
        }
        out.printf("%d files checked, %d bad%n", targets.size(), bad);
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    /** Parses the command line, applying {@code --config FILE} as the source of defaults. */
    static CommandLine commandLine(StationAgentMain main, String[] args) {
        CommandLine cmd = new CommandLine(main);
        for (int i = 0; i < args.length; i++) {
            String configFile = null;
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                configFile = args[i].substring("--config=".length());
            }
            if (configFile != null) {
                Path path = Path.of(configFile);
                if (!Files.isReadable(path)) {
                    throw new IllegalArgumentException("config file " + path + " is not readable");
                }
                cmd.setDefaultValueProvider(new PropertiesDefaultProvider(path.toFile()));
            }
        }
        return cmd;
    }

    public static void main(String[] args) {
        CommandLine cmd;
        try {
            cmd = commandLine(new StationAgentMain(), args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(cmd.execute(args));
    }
}
