package com.cpo.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates every topic of the catalogue that does not exist yet, in the configured {@link TopicLayout}, and on a secured
 * cluster the ACLs of {@link KafkaAccess#forLine} (idempotent): what a deployment runs once before the platform (the
 * compose file's {@code kafka-init}). Brokers from {@code CPO_KAFKA_BOOTSTRAP_SERVERS} (or
 * {@code -Dcpo.kafka.bootstrap-servers}), the admin's login from {@code CPO_KAFKA_CLIENT_CONFIG} ({@link KafkaClientConfig}),
 * replication from {@code CPO_KAFKA_REPLICATION_FACTOR}, partitions from {@code CPO_KAFKA_PARTITIONS}, the stations whose
 * users get ACLs from {@code CPO_KAFKA_STATIONS} (comma-separated ids) and the analytics app's id from
 * {@code CPO_ANALYTICS_APPLICATION_ID}.
 */
public final class CreateTopics {

    private CreateTopics() {
    }

    public static void main(String[] args) throws Exception {
        String servers = System.getProperty("cpo.kafka.bootstrap-servers", System.getenv().getOrDefault("CPO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
        TopicLayout layout = TopicLayout.from(System.getenv(), System.getProperties());
        Properties props = KafkaClientConfig.load(System.getenv(), System.getProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            var missing = layout.newTopics().stream().filter(t -> !existing.contains(t.name())).toList();
            admin.createTopics(missing).all().get();
            System.out.println("topics ready on " + servers + " (replication " + layout.replicationFactor() + ", min.insync.replicas "
                    + layout.minInsyncReplicas() + "): created " + missing.stream().map(NewTopic::name).toList());
            if (props.containsKey("sasl.mechanism")) {
                List<String> stations = Arrays.stream(System.getenv().getOrDefault("CPO_KAFKA_STATIONS", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                String applicationId = System.getenv().getOrDefault("CPO_ANALYTICS_APPLICATION_ID", KafkaAccess.DEFAULT_ANALYTICS_APPLICATION_ID);
                var acls = KafkaAccess.forLine(stations, applicationId);
                admin.createAcls(acls).all().get();
                System.out.println("ACLs ready: " + acls.size() + " for the service, analytics (" + applicationId + ") and stations " + stations);
            }
        }
    }
}
