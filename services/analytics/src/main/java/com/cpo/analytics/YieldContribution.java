package com.cpo.analytics;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Counts that add up to a group's yield: one unit's contribution, or a group's sum. Subtracting a unit's
 * old contribution and adding its new one is how a retest replaces, never adds.
 *
 * @param latestRunStartMs event time of the newest run counted (for the output's event time)
 */
record YieldContribution(int units, int firstPassUnits, int finalPassUnits, int runs, int passedRuns, int incompleteRuns,
        long latestRunStartMs) {

    static final YieldContribution ZERO = new YieldContribution(0, 0, 0, 0, 0, 0, 0);

    YieldContribution plus(YieldContribution o) {
        return new YieldContribution(units + o.units, firstPassUnits + o.firstPassUnits, finalPassUnits + o.finalPassUnits, runs + o.runs,
                passedRuns + o.passedRuns, incompleteRuns + o.incompleteRuns, Math.max(latestRunStartMs, o.latestRunStartMs));
    }

    YieldContribution minus(YieldContribution o) {
        return new YieldContribution(units - o.units, firstPassUnits - o.firstPassUnits, finalPassUnits - o.finalPassUnits, runs - o.runs,
                passedRuns - o.passedRuns, incompleteRuns - o.incompleteRuns, Math.max(latestRunStartMs, o.latestRunStartMs));
    }

    static Serde<YieldContribution> serde() {
        return Serdes.serdeFrom((topic, c) -> c == null ? null
                : ByteBuffer.allocate(32).putInt(c.units).putInt(c.firstPassUnits).putInt(c.finalPassUnits).putInt(c.runs)
                        .putInt(c.passedRuns).putInt(c.incompleteRuns).putLong(c.latestRunStartMs).array(),
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    ByteBuffer b = ByteBuffer.wrap(data);
                    return new YieldContribution(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getLong());
                });
    }
}
