package com.cpo.platform.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import com.cpo.events.Verdict;
import com.cpo.schemas.Topics;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;

/**
 * Decides what happens to a record on the verdicts topic that {@link com.cpo.schemas.VerdictDeserializer}
 * cannot read: it is logged with the reason and, with the channel's {@code dead-letter-queue} failure
 * strategy, sent as received to the dead-letter topic instead of stopping consumption.
 *
 * <p>Besides SmallRye's own {@code deserialization-failure-*} and {@code dead-letter-*} headers, the
 * record gets the platform's {@link Topics#HEADER_DLQ_REASON} and {@link Topics#HEADER_DLQ_SOURCE_TOPIC},
 * which every component's dead letters carry.
 */
@ApplicationScoped
@Identifier(VerdictDeserializationFailureHandler.NAME)
public class VerdictDeserializationFailureHandler implements DeserializationFailureHandler<Verdict> {

    /** The name {@code mp.messaging.incoming.verdicts.value-deserialization-failure-handler} refers to. */
    public static final String NAME = "verdict-deserialization-failure";

    private static final Logger LOG = Logger.getLogger(VerdictDeserializationFailureHandler.class);

    @Override
    public Verdict handleDeserializationFailure(String topic, boolean isKey, String deserializer, byte[] data,
            Exception exception, Headers headers) {
        recordFailure(topic, isKey, data, exception, headers);
        // null, with the failure recorded in the headers, makes the connector route the record to the DLQ.
        return null;
    }

    /** Logs the failure and adds the platform's dead-letter headers. */
    static void recordFailure(String topic, boolean isKey, byte[] data, Exception exception, Headers headers) {
        String reason = String.valueOf(exception.getMessage());
        LOG.warnf("undecodable %s on %s (%d bytes), sent to the dead-letter topic: %s", isKey ? "key" : "value",
                topic, data == null ? 0 : data.length, reason);
        if (headers != null) {
            headers.add(Topics.HEADER_DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
            headers.add(Topics.HEADER_DLQ_SOURCE_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        }
    }
}
