package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.BurnInSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

/**
 * Faults of the agent itself and of its input, each with the agent as its own OS process on a real
 * broker; after each, a consumer proves every measurement the simulator wrote is in Kafka as written.
 */
class AgentFaultIT {

    private static final Instant START = Instant.parse("2026-11-24T06:00:00Z");

    private static String topic(EmbeddedKafka kafka, String name) {
        String topic = name + "-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
        return topic;
    }

    @Test
    void everyMeasurementArrivesThoughTheAgentIsKilledWithSigkillMidPublishAgainAndAgainOnceWithATornWrite() throws Exception {
        // given a tester and a rack that keep writing while the agent is killed four times
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String topic = topic(kafka, "agent-kill");
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "agent-kill-");
        Path input = root.resolve("input");
        AlignmentSimulator aligner = new AlignmentSimulator(AlignmentSimulator.Config.defaults(21).withStation("AA-01").withSimulatedStart(START));
        List<SimulatedRun> runs = aligner.runUnits(120);
        BurnInSimulator rack = new BurnInSimulator(BurnInSimulator.Config.defaults(22).withStation("AA-01").withRack(8, 8)
                .withTiming(Duration.ofMinutes(5), Duration.ofHours(24)));
        List<BurnInSimulator.LogLine> log = rack.runUnits(16);
        Path logFile = input.resolve("AA-01_rack.burnin");
        // the tester's pace: one result file and a slice of the rack log every 40 ms, so files keep arriving
        // while the agent is killed
        int perStep = log.size() / runs.size() + 1;
        AtomicInteger step = new AtomicInteger();
        CountDownLatch written = new CountDownLatch(1);
        ScheduledExecutorService tester = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "tester"));
        Runnable writeStep = () -> {
            int i = step.getAndIncrement();
            if (i < runs.size()) {
                aligner.write(runs.get(i), input);
                BurnInSimulator.append(logFile, log.subList(Math.min(i * perStep, log.size()), Math.min((i + 1) * perStep, log.size())));
            } else if (i == runs.size()) {
                BurnInSimulator.append(logFile, log.subList(Math.min(runs.size() * perStep, log.size()), log.size()));
                written.countDown();
            }
        };
        SplittableRandom random = new SplittableRandom(5);

        // when the agent is killed with SIGKILL at random moments, then left to finish
        try (AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--no-verdicts", "--group-commit-events", "2000")) {
            tester.scheduleAtFixedRate(writeStep, 0, 40, TimeUnit.MILLISECONDS);
            for (int kill = 0; kill < 4; kill++) {
                agent.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/status").status() == 200);
                // SIGKILL at a random moment, but only once this incarnation is publishing: mid-publish
                await().pollDelay(Duration.ofMillis(300 + random.nextInt(1200))).atMost(Duration.ofSeconds(30))
                        .until(() -> ackedEvents(agent) > 0);
                agent.kill();
                if (kill == 1) {
                    // and once, as if the PC lost power mid-write: half a WAL frame of garbage after the last commit
                    Path wal = root.resolve("spool").resolve(Spool.FILE_NAME + "-wal");
                    byte[] torn = new byte[3000];
                    random.nextBytes(torn);
                    Files.write(wal, torn, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            assertThat(written.await(60, TimeUnit.SECONDS)).isTrue();
            tester.shutdownNow();
            agent.start();
            int expected = Expectations.expectedEvents(runs, rack.made());
            TopicContent content = TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= expected, Duration.ofSeconds(90));

            // then every measurement is there exactly as written, duplicates carry the same id
            assertThat(content.distinct()).as(agent.log()).isEqualTo(expected);
            Expectations.assertEveryMeasurementArrivedAsWritten(content, "AA-01", runs, "AA-01", rack.made());
            assertThat(agent.starts()).isEqualTo(5);
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.get("/status").body().contains("\"spoolDepthEvents\":0"));
        }
    }

    @Test
    void malformedTruncatedAndStillGrowingFilesAreSetAsideOrWaitedForAndEverythingElseArrives() throws Exception {
        // given
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String topic = topic(kafka, "agent-bad-input");
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "agent-bad-");
        Path input = root.resolve("input");
        AlignmentSimulator aligner = new AlignmentSimulator(AlignmentSimulator.Config.defaults(31).withSimulatedStart(START));
        List<SimulatedRun> runs = aligner.runUnits(10);
        runs.subList(0, runs.size() - 1).forEach(r -> aligner.write(r, input));
        // a result file with a broken value, and one that was cut off and never completed
        Files.writeString(input.resolve("BAD_1.align"), aligner.format(runs.get(0)).replace("serial=" + runs.get(0).serial(), "serial=BAD")
                .replaceFirst("PRE_CURE,3,[0-9.]+,", "PRE_CURE,3,1.2O3,"));
        String cut = aligner.format(runs.get(1));
        Files.writeString(input.resolve("CUT_1.align"), cut.substring(0, cut.length() / 2));
        // a result file written in place (no rename) that the tester completes a moment later
        SimulatedRun last = runs.get(runs.size() - 1);
        String lastText = aligner.format(last);
        Path growing = input.resolve(last.fileName());
        // a burn-in log with a malformed line in the middle and half a line at its end
        BurnInSimulator rack = new BurnInSimulator(BurnInSimulator.Config.defaults(32).withStation("AA-01").withRack(4, 8)
                .withTiming(Duration.ofMinutes(30), Duration.ofHours(12)).withDefects(0, 0, 0));
        List<BurnInSimulator.LogLine> log = rack.runUnits(4);
        Path logFile = input.resolve("AA-01_rack.burnin");
        int half = log.size() / 2;
        BurnInSimulator.append(logFile, log.subList(0, half));
        BurnInSimulator.append(logFile, "READ,2026-11-24T07:00:00Z,2,OE8-AA-01-000002,1,3,not-a-number,60.0,85.0\n");
        String partial = log.get(half).text();
        BurnInSimulator.append(logFile, partial.substring(0, partial.length() / 2));

        // when
        try (AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--no-verdicts", "--truncated-after-ms", "5000").start()) {
            Path quarantine = root.resolve("quarantine");
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.get("/status").status() == 200);
            Files.writeString(growing, lastText.substring(0, lastText.length() / 3));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(quarantine.resolve("BAD_1.align.reason")));
            Files.writeString(growing, lastText.substring(lastText.length() / 3), StandardOpenOption.APPEND);
            BurnInSimulator.append(logFile, partial.substring(partial.length() / 2));
            BurnInSimulator.append(logFile, log.subList(half + 1, log.size()));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(quarantine.resolve("CUT_1.align.reason")));
            int expected = Expectations.expectedEvents(runs, rack.made());
            TopicContent content = TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= expected, Duration.ofSeconds(60));

            // then the bad input is set aside with file, line and field named, and every good measurement arrived once
            assertThat(Files.readString(quarantine.resolve("BAD_1.align.reason"), StandardCharsets.UTF_8))
                    .contains("BAD_1.align, line 21, field 'coupling_loss_db': '1.2O3' is not a finite decimal number (dB)");
            assertThat(Files.readString(quarantine.resolve("CUT_1.align.reason"))).contains("no [end] marker");
            String lineReason = Files.list(quarantine).filter(p -> p.toString().endsWith(".reason") && p.toString().contains(".burnin.line"))
                    .map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).findFirst().orElseThrow();
            assertThat(lineReason).contains("AA-01_rack.burnin, line " + (half + 2) + ", field 'power_dbm': 'not-a-number'");
            assertThat(content.distinct()).as(agent.log()).isEqualTo(expected);
            assertThat(content.records).isEqualTo(expected);
            Expectations.assertEveryMeasurementArrivedAsWritten(content, "AA-01", runs, "AA-01", rack.made());
            assertThat(root.resolve("archive").resolve(last.fileName())).exists();
        }
    }

    /** Events this agent process had acknowledged by Kafka, from its Prometheus metrics. */
    private static double ackedEvents(AgentProcess agent) throws Exception {
        for (String line : agent.get("/metrics").body().split("\n")) {
            if (line.startsWith("cpo_agent_events_acked_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
