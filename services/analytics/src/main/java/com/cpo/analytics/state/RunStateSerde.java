package com.cpo.analytics.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.cpo.analytics.state.RunState;

/** Serde of the run-state store: plain Avro binary of {@link RunState}. */
public final class RunStateSerde implements Serde<RunState> {

    private static final SpecificDatumWriter<RunState> WRITER = new SpecificDatumWriter<>(RunState.class);
    private static final SpecificDatumReader<RunState> READER = new SpecificDatumReader<>(RunState.class);

    @Override
    public Serializer<RunState> serializer() {
        return (topic, state) -> {
            if (state == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            try {
                WRITER.write(state, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<RunState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return READER.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
