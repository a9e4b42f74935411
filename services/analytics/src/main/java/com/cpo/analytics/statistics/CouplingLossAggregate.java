package com.cpo.analytics.statistics;

import org.apache.kafka.common.serialization.Serde;

import com.cpo.analytics.state.StateSerdes;
import com.cpo.domain.stats.DistributionSummary;

/**
 * The coupling-loss distribution of one scope and channel, with the limits last in force and a revision.
 */
public final class CouplingLossAggregate {

    public DistributionSummary summary = DistributionSummary.forCouplingLossDb();
    public long revision;
    public long latestEventTimeMs;
    public Double lowerLimitDb;
    public Double upperLimitDb;

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

    public static Serde<CouplingLossAggregate> serde() {
        return StateSerdes.of((a, out) -> {
            out.writeLong(a.revision);
            out.writeLong(a.latestEventTimeMs);
            StateSerdes.writeNullable(out, a.lowerLimitDb);
            StateSerdes.writeNullable(out, a.upperLimitDb);
            StateSerdes.writeBytes(out, a.summary.toBytes());
        }, in -> {
            CouplingLossAggregate a = new CouplingLossAggregate();
            a.revision = in.readLong();
            a.latestEventTimeMs = in.readLong();
            a.lowerLimitDb = StateSerdes.readNullable(in);
            a.upperLimitDb = StateSerdes.readNullable(in);
            a.summary = DistributionSummary.fromBytes(StateSerdes.readBytes(in));
            return a;
        });
    }
}
