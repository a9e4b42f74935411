package com.cpo.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a component at start whether the topics it writes keep the promise {@code acks=all} makes: a partition with
 * fewer replicas than the layout asks for, or fewer in sync than it has, loses acknowledged records with one disk.
 * It only warns (a cluster may be recovering); it never stops a start.
 */
public final class ReplicationCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCheck.class);

    private ReplicationCheck() {
    }

    /** One line per under-replicated partition of {@code topics}, empty when all are as the layout says. */
    public static List<String> problems(Map<String, TopicDescription> topics, TopicLayout layout) {
        List<String> problems = new ArrayList<>();
        topics.forEach((name, description) -> {
            for (TopicPartitionInfo p : description.partitions()) {
                if (p.replicas().size() < layout.replicationFactor()) {
                    problems.add(name + "-" + p.partition() + " has " + p.replicas().size() + " replica(s); the layout asks for "
                            + layout.replicationFactor());
                } else if (p.isr().size() < p.replicas().size()) {
                    problems.add(name + "-" + p.partition() + " has " + p.isr().size() + " of " + p.replicas().size() + " replicas in sync");
                }
            }
        });
        return problems;
    }

    /**
     * Describes {@code topics} on a daemon thread and logs a WARN per problem (or that it could not look), so a
     * broker that is away never delays the component's start.
     *
     * @param clientProps the component's Kafka client settings (bootstrap servers and security)
     * @param component who is starting, for the log
     */
    public static void warnInBackground(Properties clientProps, Collection<String> topics, TopicLayout layout, String component) {
        Thread thread = new Thread(() -> {
            Properties props = new Properties();
            props.putAll(clientProps);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(30).toMillis());
            try (Admin admin = Admin.create(props)) {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(45, TimeUnit.SECONDS);
                List<String> problems = problems(described, layout);
                for (String problem : problems) {
                    LOG.warn("{}: topic {} (acks=all holds only as many copies as are in sync)", component, problem);
                }
                if (problems.isEmpty()) {
                    LOG.info("{}: the {} topics it writes have their {} replica(s) in sync", component, topics.size(), layout.replicationFactor());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("{}: could not check the replication of the topics it writes ({}): {}", component, topics, e.toString());
            }
        }, "replication-check");
        thread.setDaemon(true);
        thread.start();
    }
}
