package com.cpo.domain;

import java.time.Instant;
import java.util.List;

/**
 * One released version of the limits of a product and operation.
 *
 * @param id product/operation, e.g. CPO-OE16/ALIGN
 * @param version 1-based, increasing with each release
 * @param effectiveFrom runs starting at or after this instant are judged by this version (until a later one)
 * @param limits the limits
 */
public record LimitSet(String id, int version, Instant effectiveFrom, List<Limit> limits) {

    public LimitSet {
        limits = List.copyOf(limits);
    }

    /**
     * The limit that binds one parameter on one channel: the channel's own limit when the set has one, else the limit
     * on every channel; empty when neither exists. The one rule for judging, capability (Cpk) and the limits shown
     * beside a value: a channel's own limit overrides the all-channel one, it is never checked in addition to it.
     */
    public java.util.Optional<Limit> binding(String parameter, int channel) {
        Limit all = null;
        for (Limit l : limits) {
            if (l.parameter().equals(parameter)) {
                if (l.channel() != null && l.channel() == channel) {
                    return java.util.Optional.of(l);
                }
                if (l.channel() == null) {
                    all = l;
                }
            }
        }
        return java.util.Optional.ofNullable(all);
    }

    /** The limit on a parameter that is not per channel (e.g. channel spread), or empty. */
    public java.util.Optional<Limit> unitLimit(String parameter) {
        return limits.stream().filter(l -> l.parameter().equals(parameter) && l.channel() == null).findFirst();
    }

    /**
     * The version in force at {@code runStart}: the highest version whose {@code effectiveFrom} is not
     * after it, or null when none was in force yet.
     */
    public static LimitSet inForceAt(Iterable<LimitSet> versions, Instant runStart) {
        LimitSet best = null;
        for (LimitSet candidate : versions) {
            if (!candidate.effectiveFrom().isAfter(runStart) && (best == null || candidate.version() > best.version())) {
                best = candidate;
            }
        }
        return best;
    }
}
