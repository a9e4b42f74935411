package com.cpo.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import com.cpo.domain.stats.DistributionSummary;

/**
 * The coupling-loss distribution of one scope and channel, with the limits last in force and a revision.
 */
final class CouplingLossAggregate {

    DistributionSummary summary = DistributionSummary.forCouplingLossDb();
    long revision;
    long latestEventTimeMs;
    Double lowerLimitDb;
    Double upperLimitDb;

    CouplingLossAggregate add(double[] valuesDb, Double lower, Double upper, long eventTimeMs) {
        for (double v : valuesDb) {
            summary.add(v);
        }
        revision++;
        latestEventTimeMs = Math.max(latestEventTimeMs, eventTimeMs);
        lowerLimitDb = lower;
        upperLimitDb = upper;
        return this;
    }

    static Serde<CouplingLossAggregate> serde() {
        return Serdes.serdeFrom((topic, a) -> {
            if (a == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(a.revision);
                out.writeLong(a.latestEventTimeMs);
                writeNullable(out, a.lowerLimitDb);
                writeNullable(out, a.upperLimitDb);
                byte[] summary = a.summary.toBytes();
                out.writeInt(summary.length);
                out.write(summary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                CouplingLossAggregate a = new CouplingLossAggregate();
                a.revision = in.readLong();
                a.latestEventTimeMs = in.readLong();
                a.lowerLimitDb = readNullable(in);
                a.upperLimitDb = readNullable(in);
                byte[] summary = new byte[in.readInt()];
                in.readFully(summary);
                a.summary = DistributionSummary.fromBytes(summary);
                return a;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void writeNullable(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }
}
