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

    /** The limits on one parameter that apply to one channel. */
    public List<Limit> limitsFor(String parameter, int channel) {
        return limits.stream().filter(l -> l.parameter().equals(parameter) && l.appliesTo(channel)).toList();
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
