package com.cpo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

class EventCodecTest {

    private final EventCodec codec = EventCodec.standard();

    @Test
    void anEventSurvivesTheRoundTripAsItsOwnType() {
        // given
        AlignmentResult result = AlignmentResult.newBuilder()
                .setEventId("AA-01:file.txt:12").setEventTime(Instant.parse("2026-11-24T06:00:00.123Z"))
                .setRunId("AA-01/SN1/ALIGN/1").setSerial("SN1").setStation("AA-01").setStep(AlignmentStep.POST_UV)
                .setChannels(List.of(new ChannelAlignment(1, 1.234, 0.11), new ChannelAlignment(2, 1.5, null)))
                .build();

        // when
        byte[] bytes = codec.encode(result);

        // then
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isInstanceOf(AlignmentResult.class).isEqualTo(result);
    }

    @Test
    void oneTopicCarriesSeveralTypesAndEachComesBackAsItsType() {
        RunStarted started = RunStarted.newBuilder().setEventId("e1").setEventTime(Instant.EPOCH).setRunId("r")
                .setSerial("s").setProduct("p").setLot("l").setStation("st").setOperator("op")
                .setOperation(Operation.ALIGN).setAttempt(1).setLimitSetId("p/ALIGN").setChannelCount(16).build();
        RunCompleted completed = RunCompleted.newBuilder().setEventId("e2").setEventTime(Instant.EPOCH).setRunId("r")
                .setSerial("s").setStation("st").setOperation(Operation.ALIGN).setAborted(false).setMeasurementEvents(3).build();

        assertThat(codec.decode(codec.encode(started))).isInstanceOf(RunStarted.class);
        assertThat(codec.decode(codec.encode(completed))).isInstanceOf(RunCompleted.class);
    }

    @Test
    void anEventWrittenWithAnOlderSchemaIsReadWithDefaultsForNewFields() {
        // given an older RunCompleted that had no measurementEvents... simulated by a writer schema
        // without the optional pdlDb field of ChannelAlignment
        Schema current = EventCodec.schemaOf(AlignmentResult.class);
        Schema older = new Schema.Parser().parse(current.toString()
                .replace(",{\"name\":\"pdlDb\",\"type\":[\"null\",\"double\"],\"doc\":\"Polarization-dependent loss in dB, when the tester measures it.\",\"default\":null}", ""));
        assertThat(older.toString()).doesNotContain("pdlDb");
        EventCodec evolving = new EventCodec();
        evolving.register(AlignmentResult.class, current);
        evolving.register(AlignmentResult.class, older);

        GenericRecord channel = new GenericData.Record(older.getField("channels").schema().getElementType());
        channel.put("channel", 3);
        channel.put("couplingLossDb", 1.75);
        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "old-1");
        old.put("eventTime", 1_000L);
        old.put("runId", "r");
        old.put("serial", "s");
        old.put("station", "st");
        old.put("step", new GenericData.EnumSymbol(older.getField("step").schema(), "PRE_CURE"));
        old.put("channels", List.of(channel));

        // when
        byte[] bytes = EventCodec.encodeWith(old, older, GenericData.get());
        AlignmentResult decoded = evolving.decode(bytes, AlignmentResult.class);

        // then
        assertThat(decoded.getEventId()).isEqualTo("old-1");
        assertThat(decoded.getChannels().get(0).getCouplingLossDb()).isEqualTo(1.75);
        assertThat(decoded.getChannels().get(0).getPdlDb()).isNull();
        assertThat(decoded.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
    }

    @Test
    void bytesThatAreNotAnEventAreRefusedWithTheReason() {
        assertThatThrownBy(() -> codec.decode("{\"serial\":1}".getBytes()))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("expected header C3 01");
    }

    @Test
    void anUnknownWriterSchemaIsRefusedWithItsFingerprint() {
        byte[] bytes = new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("unknown writer schema, fingerprint 0807060504030201");
    }

    @Test
    void aTruncatedBodyIsRefusedAsCorrupt() {
        RunCompleted completed = RunCompleted.newBuilder().setEventId("e2").setEventTime(Instant.EPOCH).setRunId("r")
                .setSerial("s").setStation("st").setOperation(Operation.ALIGN).setAborted(false).setMeasurementEvents(3).build();
        byte[] bytes = codec.encode(completed);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(UndecodableEventException.class).hasMessageContaining("corrupt RunCompleted");
    }
}
