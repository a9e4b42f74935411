package com.cpo.analytics.state;

import java.nio.ByteBuffer;

/** Bytes kept in the Avro run state. */
public final class StateBytes {

    private StateBytes() {
    }

    /** The bytes of a buffer from the state (an Avro bytes field), whatever its position. */
    public static byte[] of(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
