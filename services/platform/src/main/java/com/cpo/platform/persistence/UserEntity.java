package com.cpo.platform.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.PasswordType;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;

/**
 * A person who logs in to the service (embedded default; table {@code app_users}). The password is kept as a bcrypt hash;
 * roles are comma-separated. A disabled user keeps their row (audit records name them) but cannot log in: their
 * password hash is replaced by one nobody knows.
 */
@Entity
@Table(name = "app_users")
@UserDefinition
public class UserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Username
    @Column(nullable = false, unique = true, length = 64)
    private String username;

    @Password(PasswordType.MCF)
    @Column(name = "password_hash", nullable = false, length = 100)
    private String passwordHash;

    @Roles
    @Column(nullable = false, length = 200)
    private String roles;

    @Column(nullable = false)
    private boolean enabled = true;

    @Column(name = "created_by", nullable = false, length = 128)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected UserEntity() {
        // for Hibernate
    }

    public UserEntity(String username, String passwordHash, String roles, String createdBy, Instant createdAt) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.roles = roles;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public String getUsername() {
        return username;
    }

    public String getRoles() {
        return roles;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public void setRoles(String roles) {
        this.roles = roles;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
