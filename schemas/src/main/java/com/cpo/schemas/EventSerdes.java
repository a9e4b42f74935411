package com.cpo.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes for the platform's events. */
public final class EventSerdes {

    private EventSerdes() {
    }

    /** A serde for one event type; reading a different type fails with {@link UndecodableEventException}. */
    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(new EventSerializer<T>(),
                (topic, data) -> data == null ? null : EventCodec.standard().decode(data, type));
    }

    /** A serde for a topic that carries several event types. */
    public static Serde<SpecificRecord> any() {
        return Serdes.serdeFrom(new EventSerializer<>(), new EventDeserializer());
    }
}
