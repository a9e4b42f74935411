package com.cpo.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for platform events. Throws {@link UndecodableEventException} for bytes it cannot
 * read; callers route those to the dead-letter topic.
 */
public class EventDeserializer implements Deserializer<SpecificRecord> {

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        return data == null ? null : EventCodec.standard().decode(data);
    }
}
