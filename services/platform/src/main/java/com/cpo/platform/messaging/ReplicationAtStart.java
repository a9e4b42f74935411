package com.cpo.platform.messaging;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.cpo.platform.TopicsConfig;
import com.cpo.schemas.KafkaClientConfig;
import com.cpo.schemas.ReplicationCheck;
import com.cpo.schemas.TopicLayout;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/** Warns at start when a topic the service writes (limit releases, dead letters) is under-replicated. */
@ApplicationScoped
class ReplicationAtStart {

    void onStart(@Observes StartupEvent start, TopicsConfig topics,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        ReplicationCheck.warnInBackground(KafkaClientConfig.connection(kafka), List.of(topics.limits(), topics.deadLetter()),
                TopicLayout.from(System.getenv(), System.getProperties()), "platform-service");
    }
}
