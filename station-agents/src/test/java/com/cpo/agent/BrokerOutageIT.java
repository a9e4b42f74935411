package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.embedded.EmbeddedKafka;

/**
 * The broker goes away while the agent (its own OS process) has work: the spool holds everything, and
 * when the broker is back every measurement arrives. A broker of its own, since it is stopped.
 */
class BrokerOutageIT {

    private static final Instant START = Instant.parse("2026-11-24T06:00:00Z");
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(Path.of("target/infra").toAbsolutePath());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String topic(String name) throws Exception {
        String topic = name + "-" + System.nanoTime();
        var props = new java.util.Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        return topic;
    }

    @Test
    void everyMeasurementArrivesThoughTheBrokerStopsMidStreamForAWhile() throws Exception {
        // given an agent publishing a rack's log and a tester's files
        String topic = topic("outage");
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-");
        Path input = root.resolve("input");
        AlignmentSimulator aligner = new AlignmentSimulator(AlignmentSimulator.Config.defaults(41).withSimulatedStart(START));
        List<SimulatedRun> runs = aligner.runUnits(60);
        BurnInSimulator rack = new BurnInSimulator(BurnInSimulator.Config.defaults(42).withStation("AA-01").withRack(8, 8)
                .withTiming(Duration.ofMinutes(10), Duration.ofHours(24)));
        List<BurnInSimulator.LogLine> log = rack.runUnits(8);
        Path logFile = input.resolve("AA-01_rack.burnin");
        try (AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--no-verdicts").start()) {
            runs.subList(0, 30).forEach(r -> aligner.write(r, input));
            BurnInSimulator.append(logFile, log.subList(0, log.size() / 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/status").body().contains("\"spoolDepthEvents\":0")
                    && Files.list(input).noneMatch(p -> p.toString().endsWith(".align")));

            // when the broker stops, the tester goes on writing, and the broker comes back some seconds later
            kafka.stop();
            runs.subList(30, runs.size()).forEach(r -> aligner.write(r, input));
            BurnInSimulator.append(logFile, log.subList(log.size() / 2, log.size()));
            await().atMost(Duration.ofSeconds(30)).until(() -> !agent.get("/status").body().contains("\"spoolDepthEvents\":0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.list(input).noneMatch(p -> p.toString().endsWith(".align")));
            // the outage lasts 4 s: throughout it the measurements wait in the spool, none is lost or dropped
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                    .until(() -> !agent.get("/status").body().contains("\"spoolDepthEvents\":0"));
            kafka.restart();

            // then everything arrives, and the spool empties
            int expected = Expectations.expectedEvents(runs, rack.made());
            TopicContent content = TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= expected, Duration.ofSeconds(90));
            assertThat(content.distinct()).as(agent.log()).isEqualTo(expected);
            Expectations.assertEveryMeasurementArrivedAsWritten(content, "AA-01", runs, "AA-01", rack.made());
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/status").body().contains("\"spoolDepthEvents\":0"));
        }
    }

    @Test
    void aFullSpoolStopsTakingInputReportsItselfUnhealthyAndResumesWhenKafkaDrainsIt() throws Exception {
        // given an agent with a small quota, and the broker away
        String topic = topic("quota");
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "quota-");
        Path input = root.resolve("input");
        AlignmentSimulator aligner = new AlignmentSimulator(AlignmentSimulator.Config.defaults(43).withSimulatedStart(START));
        List<SimulatedRun> runs = aligner.runUnits(40);
        try (AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--no-verdicts", "--spool-max-bytes", "20000",
                "--group-commit-events", "10").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/health").status() == 200);
            kafka.stop();

            // when the tester writes more than the quota holds
            runs.forEach(r -> aligner.write(r, input));

            // then the agent stops taking input, says why, and the tester's files wait on disk
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/health").status() == 503);
            assertThat(agent.get("/health").body()).contains("spool full").contains("20000");
            // it keeps refusing input while full
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> agent.get("/health").status() == 503);
            long waiting = Files.list(input).filter(p -> p.toString().endsWith(".align")).count();
            assertThat(waiting).isGreaterThan(runs.size() / 2);
            assertThat(Files.list(root.resolve("archive")).count()).isLessThan(runs.size() / 2);

            // and when the broker is back it drains the spool, takes the rest and is healthy again
            kafka.restart();
            int expected = Expectations.expectedEvents(runs, List.of());
            TopicContent content = TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= expected, Duration.ofSeconds(90));
            assertThat(content.distinct()).as(agent.log()).isEqualTo(expected);
            Expectations.assertEveryMeasurementArrivedAsWritten(content, "AA-01", runs, "AA-01", List.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/health").status() == 200);
            // its own figures, and those of its Kafka clients (the producer made anew after the outage)
            assertThat(agent.get("/metrics").body()).contains("cpo_agent_events_acked_total").contains("cpo_agent_spool_depth_events")
                    .contains("kafka_producer_record_send_total");
        }
    }
}
