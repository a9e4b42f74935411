package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.cpo.events.LimitSet;
import com.cpo.platform.service.LimitReleases;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes released limit sets to the compacted limits topic (channel {@code limits-out}), keyed
 * {@code limitSetId@version} so compaction keeps every version. {@link #publish} returns only once the
 * broker has acknowledged (acks=all), so a release whose publication fails is rolled back.
 */
@ApplicationScoped
public class LimitPublisher implements LimitReleases {

    private final MutinyEmitter<LimitSet> emitter;

    LimitPublisher(@Channel("limits-out") MutinyEmitter<LimitSet> emitter) {
        this.emitter = emitter;
    }

    /** The record key of a limit set version, as the judge reads it. */
    public static String key(String limitSetId, int version) {
        return limitSetId + "@" + version;
    }

    /** Sends and waits for the broker's acknowledgement; throws when it does not come. */
    @Override
    public void publish(LimitSet limitSet) {
        emitter.sendMessageAndAwait(Message.of(limitSet).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key(limitSet.getLimitSetId(), limitSet.getVersion()))
                .build()));
    }
}
