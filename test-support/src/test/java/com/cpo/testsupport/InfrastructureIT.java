package com.cpo.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;

class InfrastructureIT {

    @Test
    void theBrokerTakesATransactionalWriteAndServesItBack() throws Exception {
        // given
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        kafka.createTopics(List.of(new NewTopic("infra-probe", 1, (short) 1)));
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infra-probe-tx");
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("infra-probe", "k", "hello"));
            producer.commitTransaction();
        }

        // when
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-probe");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String value = null;
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("infra-probe"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (value == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (var record : records) {
                    value = record.value();
                }
            }
        }

        // then
        assertThat(value).isEqualTo("hello");
    }

    @Test
    void aStoppedBrokerRestartsOnItsPortsWithItsLog() throws Exception {
        // given a broker of its own with a topic
        try (EmbeddedKafka kafka = EmbeddedKafka.start(SharedInfrastructure.workDir())) {
            kafka.createTopics(List.of(new NewTopic("kept", 2, (short) 1)));

            // when it goes down and comes back
            kafka.stop();
            assertThat(ListeningSockets.read()).doesNotContainKey(kafka.brokerPort());
            kafka.restart();

            // then it listens on the same port and still has the topic
            assertThat(ListeningSockets.read()).containsEntry(kafka.brokerPort(), "127.0.0.1");
            try (var admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get()).contains("kept");
            }
        }
    }

    @Test
    void everyListenerOfTheBrokerIsOnLoopbackOnly() throws Exception {
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        Map<Integer, String> listening = ListeningSockets.read();
        assertThat(listening).containsEntry(kafka.brokerPort(), "127.0.0.1");
        assertThat(listening).containsEntry(kafka.controllerPort(), "127.0.0.1");
    }

    @Test
    void postgresIsARealServerOnLoopbackOnly() throws Exception {
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version(), current_setting('listen_addresses')")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("PostgreSQL 17");
            assertThat(rs.getString(2)).isEqualTo("127.0.0.1");
        }
        assertThat(ListeningSockets.read()).containsEntry(postgres.port(), "127.0.0.1");
    }

    @Test
    void postgresStartsUnderAPathLongerThanAUnixSocketNameMayBe() throws Exception {
        // a checkout under a long path: a socket file in here would exceed the 107 characters of sun_path
        Path deep = Path.of("target").toAbsolutePath().resolve("a-directory-path-deliberately-longer-than-a-unix-socket-name-"
                + "may-be/and-then-some-more-characters");
        assertThat(deep.toString().length()).isGreaterThan(108);
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(deep, "longpath");
                Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_database(), current_setting('unix_socket_directories')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("longpath");
            assertThat(rs.getString(2)).isEmpty();
        }
    }

    @Test
    void aDurableServerSyncsItsCommitsAndKeepsThemAcrossAnImmediateStop() throws Exception {
        // given the durable server the run command uses, with a committed row
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(Path.of("target").toAbsolutePath(), "durable", true)) {
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("select current_setting('fsync'), current_setting('synchronous_commit'), "
                        + "current_setting('full_page_writes')");
                rs.next();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3))).containsExactly("on", "on", "on");
                s.execute("create table kept (id int primary key)");
                s.execute("insert into kept values (42)");
            }

            // when it is stopped as pg_ctl stop -m immediate does, and started again
            long pid = postgres.stopImmediately();
            assertThat(ProcessHandle.of(pid)).isEmpty();
            assertThat(ListeningSockets.read()).doesNotContainKey(postgres.port());
            postgres.restart();

            // then the committed row is there
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select id from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    /** Reads /proc/net/tcp{,6}: listening port to local address. */
    static final class ListeningSockets {
        static Map<Integer, String> read() throws Exception {
            Map<Integer, String> result = new java.util.HashMap<>();
            for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(file);
                if (!Files.exists(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII).subList(1, Files.readAllLines(path).size())) {
                    String[] cols = line.trim().split("\\s+");
                    if (!cols[3].equals("0A")) { // LISTEN
                        continue;
                    }
                    String[] local = cols[1].split(":");
                    int port = Integer.parseInt(local[1], 16);
                    result.merge(port, decode(local[0]), (a, b) -> a + "," + b);
                }
            }
            return result;
        }

        private static String decode(String hex) {
            if (hex.length() == 8) {
                long v = Long.parseLong(hex, 16);
                return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
            }
            if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped
                return decode(hex.substring(24));
            }
            return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
        }
    }
}
