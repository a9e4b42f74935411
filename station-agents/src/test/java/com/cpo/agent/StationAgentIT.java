package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentResult;
import com.cpo.schemas.EventCodec;
import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

class StationAgentIT {

    @Test
    void everyMeasurementTheSimulatorWroteReachesKafkaAndABadFileIsQuarantinedWithItsReason() throws Exception {
        // given a real broker, a topic of our own, and a tester folder with 20 units and one malformed file
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String topic = "agent-it-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "agent-it-");
        Path input = root.resolve("input");
        AlignmentSimulator simulator = new AlignmentSimulator(
                AlignmentSimulator.Config.defaults(11).withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));
        List<SimulatedRun> runs = simulator.runUnits(20);
        runs.forEach(r -> simulator.write(r, input));
        Files.writeString(input.resolve("BROKEN_1.align"), "[header]\nserial=BROKEN\n[results]\nstep,channel,coupling_loss_db\n[end]\n");

        // when
        AgentConfig config = new AgentConfig("AA-01", input, root.resolve("archive"), root.resolve("quarantine"), kafka.bootstrapServers(),
                topic, Duration.ofMillis(100));
        try (StationAgent agent = new StationAgent(config)) {
            Thread thread = new Thread(agent::run, "agent");
            thread.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.filesArchived() == runs.size() && agent.filesQuarantined() == 1);
        }

        // then every file is archived, the bad one quarantined with a reason naming the field
        assertThat(Files.list(input).filter(p -> p.toString().endsWith(".align"))).isEmpty();
        assertThat(Files.readString(root.resolve("quarantine/BROKEN_1.align.reason"))).contains("field 'lot'");
        // and a consumer finds every measurement exactly as written
        Set<String> ids = new HashSet<>();
        List<AlignmentResult> results = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int expectedEvents = runs.size() * 5;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < expectedEvents && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    SpecificRecord event = EventCodec.standard().decode(record.value());
                    ids.add(event.get(0).toString());
                    if (event instanceof AlignmentResult r) {
                        results.add(r);
                        assertThat(record.key()).isEqualTo(r.getSerial());
                    }
                }
            }
        }
        assertThat(ids).hasSize(expectedEvents);
        for (AlignmentResult result : results) {
            SimulatedRun run = runs.stream().filter(r -> result.getRunId().equals("AA-01/" + r.serial() + "/ALIGN/" + r.attempt()))
                    .findFirst().orElseThrow();
            result.getChannels().forEach(ch -> assertThat(ch.getCouplingLossDb()).isEqualTo(run.valueAt(result.getStep(), ch.getChannel())));
        }
    }
}
