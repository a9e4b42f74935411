package com.cpo.platform.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** Who did what to a limit set, when and why. Rows are only ever inserted. */
@Entity
@Table(name = "limit_set_audit")
public class LimitSetAuditEntity {

    /** What was done. MIRRORED: a release by another publisher, copied from the limits topic. */
    public enum Action {
        DRAFTED, REVISED, RELEASED, MIRRORED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "limit_set_pk", nullable = false)
    private LimitSetEntity limitSet;

    @Column(nullable = false, length = 16)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Action action;

    @Column(nullable = false, length = 128)
    private String actor;

    @Column(nullable = false, length = 1000)
    private String reason;

    @Column(nullable = false)
    private Instant at;

    /** For a release: the instant it takes effect from. */
    @Column(name = "effective_from")
    private Instant effectiveFrom;

    /** For a back-dated release (effective before it was made): why. */
    @Column(name = "backdating_reason", length = 1000)
    private String backdatingReason;

    protected LimitSetAuditEntity() {
        // for Hibernate
    }

    public LimitSetAuditEntity(LimitSetEntity limitSet, Action action, String actor, String reason, Instant at) {
        this.limitSet = limitSet;
        this.action = action;
        this.actor = actor;
        this.reason = reason;
        this.at = at;
    }

    /** A release's record: when it takes effect, and why it is back-dated when it is. */
    public LimitSetAuditEntity released(Instant from, String backdating) {
        this.effectiveFrom = from;
        this.backdatingReason = backdating;
        return this;
    }

    public Instant getEffectiveFrom() {
        return effectiveFrom;
    }

    public String getBackdatingReason() {
        return backdatingReason;
    }

    public Action getAction() {
        return action;
    }

    public String getActor() {
        return actor;
    }

    public String getReason() {
        return reason;
    }

    public Instant getAt() {
        return at;
    }
}
