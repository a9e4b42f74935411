package com.cpo.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInAlarm;
import com.cpo.events.BurnInStatus;
import com.cpo.events.CouplingLossStatistics;
import com.cpo.events.RolledThroughputYield;
import com.cpo.events.YieldFigures;
import com.cpo.events.BurnInReading;
import com.cpo.events.LimitSet;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;
import com.cpo.events.SpcBaseline;
import com.cpo.events.SpcPoint;
import com.cpo.events.SpcViolation;
import com.cpo.events.Verdict;

/**
 * Encodes events in Avro single-object encoding ({@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of
 * the writer schema, little-endian, then the Avro binary body) and decodes them into the current
 * generated classes. Every message names its writer schema, so one topic can carry several event types
 * and a consumer reads events written with any earlier version kept in {@code schema-history/}.
 *
 * <p>Thread-safe; build one with {@link #standard()} and share it.
 */
public final class EventCodec {

    /** The event types of this schema version, current generated classes. */
    public static final List<Class<? extends SpecificRecord>> EVENT_TYPES = List.of(RunStarted.class,
            AlignmentResult.class, BurnInReading.class, RunCompleted.class, Verdict.class, LimitSet.class, YieldFigures.class,
            RolledThroughputYield.class, CouplingLossStatistics.class, BurnInAlarm.class,
            BurnInStatus.class, SpcBaseline.class, SpcPoint.class, SpcViolation.class);

    /** Released versions kept for reading old events; each folder holds one full schema per type. */
    public static final List<String> HISTORY_VERSIONS = List.of("v1", "v2", "v3", "v4", "v5", "v6");

    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private static final EventCodec STANDARD = createStandard();

    private final Map<Long, Reader> readersByFingerprint = new ConcurrentHashMap<>();
    private final Map<Class<?>, byte[]> headerByClass = new ConcurrentHashMap<>();

    /** The codec for all current event types and every released version of them. */
    public static EventCodec standard() {
        return STANDARD;
    }

    private static EventCodec createStandard() {
        EventCodec codec = new EventCodec();
        for (Class<? extends SpecificRecord> type : EVENT_TYPES) {
            codec.register(type, schemaOf(type));
        }
        for (String version : HISTORY_VERSIONS) {
            for (Map.Entry<Class<? extends SpecificRecord>, Schema> old : historySchemas(version).entrySet()) {
                codec.register(old.getKey(), old.getValue());
            }
        }
        return codec;
    }

    /** A codec with no types; {@link #register} them. For tests of schema evolution. */
    public EventCodec() {
    }

    /**
     * Makes messages written with {@code writerSchema} decodable into {@code type}. Registering the
     * type's own schema also makes it encodable.
     */
    public void register(Class<? extends SpecificRecord> type, Schema writerSchema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(writerSchema);
        Schema readerSchema = schemaOf(type);
        readersByFingerprint.put(fingerprint, new Reader(type, writerSchema,
                new SpecificDatumReader<>(writerSchema, readerSchema, modelFor(type))));
        if (writerSchema.equals(readerSchema)) {
            headerByClass.put(type, header(fingerprint));
        }
    }

    /**
     * The data model that instantiates {@code type}: it loads classes through the type's own class loader,
     * so the decoded object is an instance of the very class the caller holds even where Avro and the
     * event classes live in different class loaders (Quarkus tests and dev mode), and it carries the
     * generated class's logical-type conversions (timestamps as {@code Instant}).
     */
    private static SpecificData modelFor(Class<? extends SpecificRecord> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }

    /** Encodes an event with its current schema. */
    public byte[] encode(SpecificRecord event) {
        byte[] header = headerByClass.get(event.getClass());
        if (header == null) {
            throw new IllegalArgumentException("not an event type of this codec: " + event.getClass().getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header);
        try {
            encodeBody(event, event.getSchema(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Encodes an event with a given writer schema (an older version, say). For tests of evolution and
     * for producers that still write an older version.
     */
    public static byte[] encodeWith(Object datum, Schema writerSchema, org.apache.avro.generic.GenericData model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header(SchemaNormalization.parsingFingerprint64(writerSchema)));
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new org.apache.avro.generic.GenericDatumWriter<Object>(writerSchema, model).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void encodeBody(SpecificRecord event, Schema schema, ByteArrayOutputStream out) throws IOException {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(schema, SpecificData.getForClass(event.getClass())).write(event, encoder);
        encoder.flush();
    }

    /**
     * Decodes a message into the current class of its type.
     *
     * @throws UndecodableEventException naming what is wrong: not single-object encoded, an unknown
     *         writer schema, or a corrupt body
     */
    public SpecificRecord decode(byte[] message) {
        if (message == null) {
            throw new UndecodableEventException("empty message (null value)");
        }
        if (message.length < HEADER_LENGTH || message[0] != MAGIC_0 || message[1] != MAGIC_1) {
            throw new UndecodableEventException("not Avro single-object encoded: expected header C3 01, got "
                    + (message.length < 2 ? message.length + " byte(s)" : String.format("%02X %02X", message[0], message[1])));
        }
        long fingerprint = ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Reader reader = readersByFingerprint.get(fingerprint);
        if (reader == null) {
            throw new UndecodableEventException(String.format(
                    "unknown writer schema, fingerprint %016x: written with a schema this consumer does not know (newer version?)",
                    fingerprint));
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH, null);
            SpecificRecord record = reader.datumReader().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new UndecodableEventException("corrupt " + reader.type().getSimpleName() + ": trailing bytes after the body");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UndecodableEventException u) {
                throw u;
            }
            throw new UndecodableEventException("corrupt " + reader.type().getSimpleName() + " body: " + e, e);
        }
    }

    /** Decodes and checks the type. */
    public <T extends SpecificRecord> T decode(byte[] message, Class<T> type) {
        SpecificRecord record = decode(message);
        if (!type.isInstance(record)) {
            throw new UndecodableEventException("expected " + type.getSimpleName() + ", got " + record.getClass().getSimpleName());
        }
        return type.cast(record);
    }

    /** The current schema of a generated class. */
    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.get().getSchema(type);
    }

    /** The schemas of one released version, read from {@code schema-history/VERSION/TYPE.avsc} on the classpath. */
    public static Map<Class<? extends SpecificRecord>, Schema> historySchemas(String version) {
        Map<Class<? extends SpecificRecord>, Schema> result = new HashMap<>();
        for (Class<? extends SpecificRecord> type : EVENT_TYPES) {
            String resource = "/schema-history/" + version + "/" + type.getSimpleName() + ".avsc";
            try (InputStream in = EventCodec.class.getResourceAsStream(resource)) {
                if (in != null) {
                    result.put(type, new Schema.Parser().parse(in));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return result;
    }

    private static byte[] header(long fingerprint) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC_0).put(MAGIC_1).putLong(fingerprint);
        return buffer.array();
    }

    private record Reader(Class<? extends SpecificRecord> type, Schema writerSchema,
            SpecificDatumReader<SpecificRecord> datumReader) {
    }
}
