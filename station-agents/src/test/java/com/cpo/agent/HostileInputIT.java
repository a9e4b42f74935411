package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.cpo.simulator.AlignmentSimulator;
import com.cpo.simulator.SimulatedRun;
import com.cpo.embedded.EmbeddedKafka;
import com.cpo.testsupport.SharedInfrastructure;

/**
 * Tester files written to hurt: path characters and a 10 kB string as serial, bytes that are not UTF-8, a 200 MB
 * file, and the same bad file name twice. Each is quarantined with a reason that names the field; none is obeyed, no
 * file is written outside the agent's folders, and the good unit beside them is published.
 */
class HostileInputIT {

    @Test
    void hostileFilesAreQuarantinedWithTheirReasonAndTheGoodUnitIsPublished() throws Exception {
        // given a tester folder with one good unit and five hostile files
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        String topic = "hostile-it-" + System.nanoTime();
        kafka.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hostile-it-");
        Path input = root.resolve("input");
        AlignmentSimulator simulator = new AlignmentSimulator(
                AlignmentSimulator.Config.defaults(7).withSimulatedStart(Instant.parse("2026-11-24T06:00:00Z")));
        SimulatedRun good = simulator.runUnits(1).get(0);
        simulator.write(good, input);
        String template = Files.readString(input.resolve(good.serial() + "_" + good.attempt() + ".align"));
        Files.writeString(input.resolve("DOTS_1.align"), withSerial(template, good.serial(), "../x"));
        Files.writeString(input.resolve("SLASH_1.align"), withSerial(template, good.serial(), "a/b"));
        Files.writeString(input.resolve("LONG_1.align"), withSerial(template, good.serial(), "S".repeat(10_000)));
        byte[] latin1 = template.replace("operator=", "operator=Jos\u00e9-").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(input.resolve("LATIN1_1.align"), latin1);
        try (RandomAccessFile big = new RandomAccessFile(input.resolve("BIG_1.align").toFile(), "rw")) {
            big.setLength(200L << 20); // sparse: 200 MB that cost no disk
        }

        // when the agent runs
        AgentConfig config = new AgentConfig("AA-01", input, root.resolve("archive"), root.resolve("quarantine"), kafka.bootstrapServers(),
                topic, Duration.ofMillis(100));
        try (StationAgent agent = new StationAgent(config)) {
            Thread thread = new Thread(agent::run, "agent");
            thread.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.filesArchived() == 1 && agent.filesQuarantined() == 5);

            // then each hostile file is set aside with a reason naming its line and field
            Path quarantine = root.resolve("quarantine");
            assertThat(Files.readString(quarantine.resolve("DOTS_1.align.reason"))).contains("field 'serial'", "'../x' may hold only letters");
            assertThat(Files.readString(quarantine.resolve("SLASH_1.align.reason"))).contains("field 'serial'", "'a/b'");
            assertThat(Files.readString(quarantine.resolve("LONG_1.align.reason"))).contains("serial is 10000 characters long");
            assertThat(Files.readString(quarantine.resolve("LATIN1_1.align.reason"))).contains("not valid UTF-8");
            assertThat(Files.readString(quarantine.resolve("BIG_1.align.reason"))).contains("209715200 bytes", "refused unread");

            // and when a second bad file of a name already quarantined arrives, the first one's evidence stays
            Files.writeString(input.resolve("SLASH_1.align"), "[header]\nserial=second\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.filesQuarantined() == 6);
            assertThat(Files.readString(quarantine.resolve("SLASH_1.align"))).contains("serial=a/b");
            assertThat(Files.readString(quarantine.resolve("SLASH_1.align~2"))).contains("serial=second");
            assertThat(Files.readString(quarantine.resolve("SLASH_1.align~2.reason"))).contains("no [results] section");
        }
        // no file named after a hostile serial exists anywhere above the tester folder
        try (Stream<Path> all = Files.walk(root.getParent(), 2)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("x_") || n.startsWith("b_"));
        }
        // and only the good unit's five events reached Kafka
        assertThat(TopicContent.read(kafka.bootstrapServers(), topic, c -> c.distinct() >= 5, Duration.ofSeconds(20)).distinct()).isEqualTo(5);
    }

    private static String withSerial(String content, String serial, String replacement) {
        return content.replace("serial=" + serial, "serial=" + replacement);
    }
}
