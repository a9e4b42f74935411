package com.cpo.analytics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import com.cpo.domain.Outcome;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.events.Verdict;

/**
 * Every judged run of one unit in one operation, ordered by start time: the row of the unit table that
 * yield is aggregated from. A redelivered verdict (same run) replaces its earlier copy, so it changes
 * nothing.
 */
record UnitHistory(String product, String serial, String lot, String operation, List<Run> runs) {

    /** One judged run. */
    record Run(String runId, long startMs, String station, int attempt, Outcome outcome) {
    }

    static UnitHistory empty() {
        return new UnitHistory(null, null, null, null, List.of());
    }

    UnitHistory with(Verdict verdict) {
        List<Run> updated = new ArrayList<>();
        for (Run run : runs) {
            if (!run.runId().equals(verdict.getRunId())) {
                updated.add(run);
            }
        }
        updated.add(new Run(verdict.getRunId(), verdict.getRunStartTime().toEpochMilli(), verdict.getStation(), verdict.getAttempt(),
                Outcome.valueOf(verdict.getOutcome().name())));
        updated.sort(Comparator.comparingLong(Run::startMs).thenComparingInt(Run::attempt));
        String unitLot = lot != null ? lot : verdict.getLot();
        return new UnitHistory(verdict.getProduct(), verdict.getSerial(), unitLot, verdict.getOperation().name(), List.copyOf(updated));
    }

    Run first() {
        return runs.get(0);
    }

    /** This unit's contribution to the yield of any group it belongs to, by the domain's definitions. */
    YieldContribution contribution() {
        List<UnitRun> unitRuns = runs.stream().map(r -> new UnitRun(serial, Instant.ofEpochMilli(r.startMs()), r.outcome())).toList();
        YieldFigures figures = YieldFigures.of(unitRuns);
        int incomplete = (int) runs.stream().filter(r -> r.outcome() == Outcome.INCOMPLETE).count();
        return new YieldContribution(figures.units(), figures.firstPassUnits(), figures.finalPassUnits(), figures.runs(),
                figures.passedRuns(), incomplete, runs.stream().mapToLong(Run::startMs).max().orElse(0));
    }

    static Serde<UnitHistory> serde() {
        Serializer<UnitHistory> serializer = (topic, h) -> {
            if (h == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(h.product());
                out.writeUTF(h.serial());
                out.writeUTF(h.lot());
                out.writeUTF(h.operation());
                out.writeInt(h.runs().size());
                for (Run r : h.runs()) {
                    out.writeUTF(r.runId());
                    out.writeLong(r.startMs());
                    out.writeUTF(r.station());
                    out.writeInt(r.attempt());
                    out.writeByte(r.outcome().ordinal());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        Deserializer<UnitHistory> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                String product = in.readUTF();
                String serial = in.readUTF();
                String lot = in.readUTF();
                String operation = in.readUTF();
                int n = in.readInt();
                List<Run> runs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    runs.add(new Run(in.readUTF(), in.readLong(), in.readUTF(), in.readInt(), Outcome.values()[in.readByte()]));
                }
                return new UnitHistory(product, serial, lot, operation, List.copyOf(runs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
