package com.cpo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void takesTheSecuritySettingsOfTheNamedFile() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="station-AA-01" password="s3cret";
                ssl.truststore.location=/etc/cpo/ca.p12
                """);
        Properties props = KafkaClientConfig.load(Map.of("CPO_KAFKA_CLIENT_CONFIG", file.toString()), new Properties());
        assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(props.getProperty("ssl.truststore.location")).isEqualTo("/etc/cpo/ca.p12");
        // the log line names the user, never the password
        assertThat(KafkaClientConfig.describe(props)).isEqualTo("SASL_SSL SCRAM-SHA-512 as station-AA-01").doesNotContain("s3cret");
        assertThat(KafkaClientConfig.load(Map.of(), new Properties())).isEmpty();
    }

    @Test
    void refusesAnythingButSecurityNamingTheFileAndTheKey() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "security.protocol=SASL_PLAINTEXT\nacks=0\n");
        assertThatThrownBy(() -> KafkaClientConfig.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'acks'");
        assertThatThrownBy(() -> KafkaClientConfig.read(dir.resolve("missing.properties")))
                .hasMessageContaining("missing.properties").hasMessageContaining("cannot be read");
    }

    @Test
    void aComponentsOwnClientTakesItsBrokersAndSecurityOnly() {
        Properties connection = KafkaClientConfig.connection(Map.of("bootstrap.servers", "b:9092", "sasl.mechanism", "SCRAM-SHA-512",
                "group.id", "x", "security.protocol", "SASL_SSL"));
        assertThat(connection).containsOnlyKeys("bootstrap.servers", "sasl.mechanism", "security.protocol");
    }

    @Test
    void aStationMayWriteItsEventsAndReadVerdictsOnly() {
        assertThat(KafkaAccess.forStation("AA-01")).extracting(b -> b.pattern().name() + " " + b.entry().operation())
                .containsExactlyInAnyOrder(Topics.STATION_EVENTS.name() + " WRITE", Topics.VERDICTS.name() + " READ");
        assertThat(KafkaAccess.forLine(java.util.List.of("AA-01"), "cpo-analytics")).filteredOn(b -> b.pattern().name().equals(Topics.LIMITS.name())
                && b.entry().operation() == org.apache.kafka.common.acl.AclOperation.WRITE)
                .extracting(b -> b.entry().principal()).containsExactly("User:" + KafkaAccess.SERVICE);
    }
}
