package com.cpo.platform;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import com.cpo.embedded.EmbeddedKafka;
import com.cpo.embedded.EmbeddedPostgresServer;
import com.cpo.schemas.Topics;
import com.cpo.testsupport.SharedInfrastructure;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service at a real KRaft broker and a real PostgreSQL, shared by every test of this JVM,
 * through the same standard keys the launcher passes to the packaged app ({@code -Dkey=value}).
 * Tests also have Hibernate validate the entities against the schema Flyway migrated.
 *
 * <p>The tests using it are {@code @QuarkusIntegrationTest}s, run against the packaged fast-jar. Under
 * {@code @QuarkusTest} (and {@code quarkus:dev}) the workspace module com.cpo:schemas is loaded by the
 * reloadable class loader but Avro is not, so Avro resolves {@code com.cpo.events.Verdict} to a second copy
 * on the JVM class path and decoding fails with a ClassCastException.
 */
public class RealInfrastructureResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        EmbeddedKafka kafka = SharedInfrastructure.kafka();
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        kafka.createTopics(List.of(
                new NewTopic(Topics.VERDICTS.name(), 3, (short) 1),
                new NewTopic(Topics.STATION_EVENTS.name(), 3, (short) 1),
                new NewTopic(Topics.LIMITS.name(), 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.DEAD_LETTER.name(), 1, (short) 1),
                new NewTopic(Topics.CORRECTIONS.name(), 3, (short) 1),
                // read by the dashboard feed
                compacted(Topics.YIELD.name()), compacted(Topics.RTY.name()), compacted(Topics.COUPLING_LOSS_STATS.name()),
                compacted(Topics.BURNIN_STATUS.name()), new NewTopic(Topics.BURNIN_ALARMS.name(), 3, (short) 1)));
        Sessions.useAdminPasswordFile(Sessions.ADMIN_PASSWORD_FILE);
        // every REST request of a test carries a logged-in session unless it brings its own (Sessions)
        if (io.restassured.RestAssured.filters().stream().noneMatch(f -> f instanceof Sessions.DefaultSession)) {
            io.restassured.RestAssured.filters(new Sessions.DefaultSession());
        }
        return Map.of(
                // the form login only (OidcLoginIT turns OpenID Connect on for itself); stated, so no other test's setting lingers
                "quarkus.oidc.tenant-enabled", "false",
                "cpo.platform.security.admin-password-file", Sessions.ADMIN_PASSWORD_FILE.toString(),
                "quarkus.http.auth.session.encryption-key", "integration-tests-session-key-0123456789",
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.hibernate-orm.schema-management.strategy", "validate",
                // retention runs often, so a test sees it act (HistoryIT)
                "cpo.platform.retention.every", "2s");
    }

    private static NewTopic compacted(String name) {
        return new NewTopic(name, 1, (short) 1).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    @Override
    public void stop() {
        // The servers are shared by the whole test JVM and stop when it exits.
    }
}
