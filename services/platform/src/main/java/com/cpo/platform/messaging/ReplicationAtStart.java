package com.cpo.platform.messaging;

import java.util.List;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.cpo.platform.TopicsConfig;
import com.cpo.schemas.ReplicationCheck;
import com.cpo.schemas.TopicLayout;

import io.quarkus.runtime.StartupEvent;

/** Warns at start when a topic the service writes (limit releases, dead letters) is under-replicated. */
@ApplicationScoped
class ReplicationAtStart {

    void onStart(@Observes StartupEvent start, TopicsConfig topics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrapServers);
        ReplicationCheck.warnInBackground(client, List.of(topics.limits(), topics.deadLetter()),
                TopicLayout.from(System.getenv(), System.getProperties()), "platform-service");
    }
}
