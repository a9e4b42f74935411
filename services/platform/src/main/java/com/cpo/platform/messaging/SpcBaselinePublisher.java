package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.cpo.events.SpcBaseline;
import com.cpo.platform.service.SpcBaselineReleases;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes frozen SPC baselines to the compacted {@code cpo.spc-baselines.v1} (channel {@code spc-baselines-out}), keyed
 * {@code product|station}: the analytics app holds the charts to the latest. Returns once the broker acknowledged
 * (acks=all), so a freeze whose publication fails is rolled back.
 */
@ApplicationScoped
public class SpcBaselinePublisher implements SpcBaselineReleases {

    private final MutinyEmitter<SpcBaseline> emitter;

    SpcBaselinePublisher(@Channel("spc-baselines-out") MutinyEmitter<SpcBaseline> emitter) {
        this.emitter = emitter;
    }

    @Override
    public void publish(SpcBaseline baseline) {
        emitter.sendMessageAndAwait(Message.of(baseline).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(baseline.getProduct() + "|" + baseline.getStation()).build()));
    }
}
