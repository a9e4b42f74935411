package com.cpo.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;

/**
 * The station-events and limits channels' counterpart of {@link VerdictDeserializationFailureHandler}:
 * an undecodable record is logged and sent as received to the dead-letter topic, reason in headers.
 */
@ApplicationScoped
@Identifier(EventDeserializationFailureHandler.NAME)
public class EventDeserializationFailureHandler implements DeserializationFailureHandler<SpecificRecord> {

    /** The name the channels' {@code value-deserialization-failure-handler} refers to. */
    public static final String NAME = "event-deserialization-failure";

    @Override
    public SpecificRecord handleDeserializationFailure(String topic, boolean isKey, String deserializer, byte[] data,
            Exception exception, Headers headers) {
        VerdictDeserializationFailureHandler.recordFailure(topic, isKey, data, exception, headers);
        return null;
    }
}
