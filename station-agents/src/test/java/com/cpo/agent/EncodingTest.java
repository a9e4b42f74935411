package com.cpo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.cpo.events.BurnInReading;
import com.cpo.schemas.EventCodec;

class EncodingTest {

    @Test
    void theAgentsFastEncodingIsByteForByteTheCodecsSingleObjectEncoding() throws Exception {
        // given
        var reading = (BurnInReading) EventMapper.event("BI-01", Path.of("BI-01.burnin"), BurnInLog.parse(Path.of("BI-01.burnin"),
                new BurnInLog.Line(77, 2, "READ,2026-11-24T06:01:00Z,3,OE16-BI-01-000003,1,5,3.215,62.410,85.03")));

        // when
        byte[] fast = Intake.encode(reading);

        // then
        assertThat(fast).isEqualTo(EventCodec.standard().encode(reading));
        assertThat(EventCodec.standard().decode(fast)).isEqualTo(reading);
        ByteBuffer unused = ByteBuffer.wrap(fast);
        assertThat(unused.remaining()).isEqualTo(fast.length);
    }
}
