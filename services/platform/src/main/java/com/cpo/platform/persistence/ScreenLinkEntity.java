package com.cpo.platform.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A line screen's read-only dashboard link (table {@code screen_links}): only its token's SHA-256 is kept. */
@Entity
@Table(name = "screen_links")
public class ScreenLinkEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 128)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true, length = 64)
    private String tokenHash;

    @Column(name = "created_by", nullable = false, length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "revoked_by", length = 128)
    private String revokedBy;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ScreenLinkEntity() {
        // for Hibernate
    }

    public ScreenLinkEntity(String name, String tokenHash, String createdBy, Instant createdAt) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getRevokedBy() {
        return revokedBy;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public void revoke(String by, Instant at) {
        this.revokedBy = by;
        this.revokedAt = at;
    }
}
