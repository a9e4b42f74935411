package com.cpo.analytics.yield;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;
import com.cpo.domain.YieldFigures;

/** Counts one unit adds to a yield group (or, negated, takes away), and the latest run start among them. */
public record YieldContribution(int units, int firstPassUnits, int finalPassUnits, int runs, int passedRuns, int incompleteRuns,
        long latestRunStartMs) {

    public static final YieldContribution ZERO = new YieldContribution(0, 0, 0, 0, 0, 0, 0);

    public YieldContribution plus(YieldContribution o) {
        return new YieldContribution(units + o.units, firstPassUnits + o.firstPassUnits, finalPassUnits + o.finalPassUnits, runs + o.runs,
                passedRuns + o.passedRuns, incompleteRuns + o.incompleteRuns, Math.max(latestRunStartMs, o.latestRunStartMs));
    }

    public YieldContribution negate() {
        return new YieldContribution(-units, -firstPassUnits, -finalPassUnits, -runs, -passedRuns, -incompleteRuns, latestRunStartMs);
    }

    /** The counts as the domain's yield figures, whose ratios every component shows. */
    public YieldFigures figures() {
        return new YieldFigures(units, firstPassUnits, finalPassUnits, runs, passedRuns);
    }

    public static Serde<YieldContribution> serde() {
        return StateSerdes.of((c, out) -> {
            out.writeInt(c.units);
            out.writeInt(c.firstPassUnits);
            out.writeInt(c.finalPassUnits);
            out.writeInt(c.runs);
            out.writeInt(c.passedRuns);
            out.writeInt(c.incompleteRuns);
            out.writeLong(c.latestRunStartMs);
        }, in -> new YieldContribution(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readLong()));
    }
}
