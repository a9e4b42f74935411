package com.cpo.analytics.yield;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;
import com.cpo.domain.Outcome;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.events.Verdict;

/** One unit's judged runs of one operation, in start order: the unit table yield is aggregated from. */
public record UnitHistory(String product, String serial, String lot, String operation, List<Run> runs) {

    /** One judged run. */
    public record Run(String runId, long startMs, String station, int attempt, Outcome outcome) {
    }

    public static UnitHistory empty() {
        return new UnitHistory(null, null, null, null, List.of());
    }

    /** The history with this verdict's run added, or replaced when it was there (a redelivered verdict changes nothing). */
    public UnitHistory with(Verdict verdict) {
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

    public Run first() {
        return runs.get(0);
    }

    /** This unit's contribution to the groups of its first run (lot, first station, shift, hour, day), by the domain's definitions. */
    public YieldContribution contribution() {
        return contributionOf(runs);
    }

    /** Its contribution to each station it was tested at, from that station's runs alone (the station's own yield). */
    public Map<String, YieldContribution> contributionByStation() {
        Map<String, List<Run>> byStation = new TreeMap<>();
        runs.forEach(r -> byStation.computeIfAbsent(r.station(), s -> new ArrayList<>()).add(r));
        Map<String, YieldContribution> out = new TreeMap<>();
        byStation.forEach((station, stationRuns) -> out.put(station, contributionOf(stationRuns)));
        return out;
    }

    private YieldContribution contributionOf(List<Run> of) {
        YieldFigures figures = YieldFigures.of(of.stream().map(r -> new UnitRun(serial, Instant.ofEpochMilli(r.startMs()), r.attempt(), r.station(), r.outcome())).toList());
        int incomplete = (int) of.stream().filter(r -> r.outcome() == Outcome.INCOMPLETE).count();
        return new YieldContribution(figures.units(), figures.firstPassUnits(), figures.finalPassUnits(), figures.runs(),
                figures.passedRuns(), incomplete, of.stream().mapToLong(Run::startMs).max().orElse(0));
    }

    public static Serde<UnitHistory> serde() {
        return StateSerdes.of((h, out) -> {
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
        }, in -> {
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
        });
    }
}
