package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/**
 * One version of the limits of a product and operation. A DRAFT may be revised or discarded; once RELEASED
 * the row and its limits are immutable, which the database enforces with triggers (migration V2).
 */
@Entity
@Table(name = "limit_sets")
public class LimitSetEntity {

    /** Lifecycle of a version. */
    public enum Status {
        DRAFT, RELEASED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** product/operation, e.g. CPO-OE16/ALIGN: the id judges and verdicts use. */
    @Column(name = "limit_set_id", nullable = false, length = 128)
    private String limitSetId;

    @Column(nullable = false)
    private int version;

    @Column(nullable = false, length = 64)
    private String product;

    @Column(nullable = false, length = 16)
    private String operation;

    @Column(nullable = false, length = 16)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Status status;

    @Column(name = "created_by", nullable = false, length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "draft_reason", nullable = false, length = 1000)
    private String draftReason;

    /** Runs starting at or after this instant are judged by this version (until a later one). */
    @Column(name = "effective_from")
    private Instant effectiveFrom;

    @Column(name = "released_by", length = 128)
    private String releasedBy;

    @Column(name = "released_at")
    private Instant releasedAt;

    @Column(name = "release_reason", length = 1000)
    private String releaseReason;

    @OneToMany(mappedBy = "limitSet", cascade = CascadeType.PERSIST)
    @OrderBy("position")
    private List<LimitEntity> limits = new ArrayList<>();

    protected LimitSetEntity() {
        // for Hibernate
    }

    /** A new draft. */
    public LimitSetEntity(String product, String operation, int version, String createdBy, Instant createdAt,
            String draftReason) {
        this.limitSetId = product + "/" + operation;
        this.product = product;
        this.operation = operation;
        this.version = version;
        this.status = Status.DRAFT;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.draftReason = draftReason;
    }

    /** Marks this draft released; the caller has checked that it is a draft. */
    public void release(String by, Instant at, Instant effective, String reason) {
        this.status = Status.RELEASED;
        this.releasedBy = by;
        this.releasedAt = at;
        this.effectiveFrom = effective;
        this.releaseReason = reason;
    }

    public Long getId() {
        return id;
    }

    public String getLimitSetId() {
        return limitSetId;
    }

    public int getVersion() {
        return version;
    }

    public String getProduct() {
        return product;
    }

    public String getOperation() {
        return operation;
    }

    public Status getStatus() {
        return status;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getDraftReason() {
        return draftReason;
    }

    public Instant getEffectiveFrom() {
        return effectiveFrom;
    }

    public String getReleasedBy() {
        return releasedBy;
    }

    public Instant getReleasedAt() {
        return releasedAt;
    }

    public String getReleaseReason() {
        return releaseReason;
    }

    public List<LimitEntity> getLimits() {
        return limits;
    }
}
