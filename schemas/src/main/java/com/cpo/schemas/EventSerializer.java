package com.cpo.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for any platform event, in Avro single-object encoding (see {@link EventCodec}). */
public class EventSerializer<T extends SpecificRecord> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T event) {
        return event == null ? null : EventCodec.standard().encode(event);
    }
}
