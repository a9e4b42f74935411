package com.cpo.schemas;

import org.apache.kafka.common.serialization.Deserializer;

import com.cpo.events.Verdict;

/** Kafka deserializer for the verdicts topic. */
public class VerdictDeserializer implements Deserializer<Verdict> {

    @Override
    public Verdict deserialize(String topic, byte[] data) {
        return data == null ? null : EventCodec.standard().decode(data, Verdict.class);
    }
}
