package com.cpo.platform.service;

import java.time.Instant;
import java.util.List;

import com.cpo.platform.report.LimitLine;

/**
 * A limit set version as the API shows it, with its audit trail.
 *
 * @param limitSetId product/operation, as verdicts name it
 * @param status DRAFT (may change) or RELEASED (immutable, published)
 * @param effectiveFrom runs starting at or after it are judged by this version (until a later one); null for a draft
 */
public record LimitSetView(String limitSetId, String product, String operation, int version, String status,
        String createdBy, Instant createdAt, String draftReason, Instant effectiveFrom, String releasedBy,
        Instant releasedAt, String releaseReason, List<LimitLine> limits, List<AuditEntry> audit) {

    /**
     * One recorded action on the set.
     *
     * @param actor the authenticated user (or, for MIRRORED, the publisher the record names)
     * @param effectiveFrom for RELEASED: from when the version judges runs
     * @param backdatingReason for a RELEASED effective before the release: why
     */
    public record AuditEntry(String action, String actor, String reason, Instant at, Instant effectiveFrom, String backdatingReason) {
    }
}
