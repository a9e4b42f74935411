package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;
import com.cpo.schemas.EventCodec;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

class VerdictFollowerIT {

    private static Set<String> verdictFiles(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".verdict")).collect(Collectors.toSet());
        }
    }

    @Test
    void eachVerdictOfTheStationIsWrittenOnceWithinASecondAcrossAKillAndRestart() throws Exception {
        // given
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String verdicts = "verdicts-it-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(verdicts, 3, (short) 1)));
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "verdicts-");
        Path input = root.resolve("input");
        Files.createDirectories(input);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                        "--bootstrap-servers", kafka.bootstrapServers(), "--verdicts-topic", verdicts, "--topic", "unused-" + verdicts).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.log().contains("following verdicts"));

            // when verdicts for this station and another arrive
            for (int i = 1; i <= 5; i++) {
                send(producer, verdicts, VerdictFileTest.verdict("AA-01", "OE16-AA-01-00000" + i, 1, Operation.ALIGN, i == 3 ? Outcome.FAIL : Outcome.PASS));
                send(producer, verdicts, VerdictFileTest.verdict("AA-02", "OE16-AA-02-00000" + i, 1, Operation.ALIGN, Outcome.PASS));
            }
            producer.flush();

            // then each of this station's verdicts is a file within a second
            await().atMost(Duration.ofSeconds(1)).until(() -> verdictFiles(input).size() == 5);
            assertThat(Files.readString(input.resolve("OE16-AA-01-000003_1.verdict"))).contains("outcome=FAIL", "next=REWORK");
            // and the verdict consumer's lag is in the agent's metrics
            assertThat(agent.get("/metrics").body()).contains("kafka_consumer_fetch_manager_records_lag_max", "cpo_agent_verdicts_written_total");

            // and when the MES took them, the agent is killed, more verdicts come meanwhile, and the agent restarts
            for (String name : verdictFiles(input)) {
                Files.delete(input.resolve(name));
            }
            agent.kill();
            send(producer, verdicts, VerdictFileTest.verdict("AA-01", "OE16-AA-01-000003", 2, Operation.ALIGN, Outcome.PASS));
            send(producer, verdicts, VerdictFileTest.verdict("AA-01", "OE16-AA-01-000006", 1, Operation.BURNIN, Outcome.INCOMPLETE));
            producer.flush();
            agent.start();

            // then only the new verdicts are written: none missed, none repeated
            await().atMost(Duration.ofSeconds(30)).until(() -> verdictFiles(input).size() == 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> verdictFiles(input).size() == 2);
            assertThat(verdictFiles(input)).containsExactlyInAnyOrder("OE16-AA-01-000003_2.verdict", "OE16-AA-01-000006_1.burnin.verdict");
            assertThat(Files.readString(input.resolve("OE16-AA-01-000006_1.burnin.verdict"))).contains("next=RETEST");
        }
    }

    @Test
    void aVerdictWithAHostileSerialIsRefusedOnceAndLaterVerdictsStillComeThrough() throws Exception {
        // given
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String verdicts = "verdicts-hostile-it-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(verdicts, 1, (short) 1)));
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "verdicts-hostile-");
        Path input = root.resolve("station").resolve("input");
        Files.createDirectories(input);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                AgentProcess agent = new AgentProcess(root.resolve("agent.log"), "--station", "AA-01", "--input", input.toString(),
                        "--bootstrap-servers", kafka.bootstrapServers(), "--verdicts-topic", verdicts, "--topic", "unused-" + verdicts).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.log().contains("following verdicts"));

            // when verdicts whose serials are paths or 10 kB long come first, then a good one (one partition: in this order)
            for (String serial : List.of("../../x", "a/b", "S".repeat(10_000))) {
                send(producer, verdicts, VerdictFileTest.verdict("AA-01", serial, 1, Operation.ALIGN, Outcome.PASS));
            }
            send(producer, verdicts, VerdictFileTest.verdict("AA-01", "OE16-AA-01-000009", 1, Operation.ALIGN, Outcome.PASS));
            producer.flush();

            // then the good verdict is written, the hostile ones are refused and counted, and nothing is written elsewhere
            await().atMost(Duration.ofSeconds(10)).until(() -> verdictFiles(input).contains("OE16-AA-01-000009_1.verdict"));
            assertThat(verdictFiles(input)).containsExactly("OE16-AA-01-000009_1.verdict");
            assertThat(agent.get("/metrics").body()).containsPattern("cpo_agent_verdicts_refused_total\\{[^}]*\\} 3\\.0");
            try (var all = Files.walk(root)) {
                assertThat(all.filter(p -> p.getFileName().toString().endsWith(".verdict")).map(Path::getParent)).containsOnly(input);
            }
            assertThat(agent.log()).contains("not written: serial '../../x' may hold only letters");
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, Verdict v) {
        producer.send(new ProducerRecord<>(topic, v.getSerial(), EventCodec.standard().encode(v)));
    }
}
