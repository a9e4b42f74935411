package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import com.cpo.domain.Outcome;

/**
 * The verdict of one run. Rows are inserted by {@link VerdictRepository#insertIfAbsent} (native SQL, so
 * that a redelivered event is absorbed by the {@code event_id} constraint); the entity is for reading.
 */
@Entity
@Table(name = "verdicts")
public class VerdictEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "event_id", nullable = false, unique = true)
    private String eventId;

    @Column(name = "run_id", nullable = false, unique = true)
    private String runId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "unit_id", nullable = false)
    private UnitEntity unit;

    @Column(nullable = false, length = 16)
    private String operation;

    @Column(nullable = false)
    private int attempt;

    @Column(nullable = false, length = 64)
    private String station;

    @Column(name = "run_start_time", nullable = false)
    private Instant runStartTime;

    /** When the run ended at the tester. */
    @Column(name = "event_time", nullable = false)
    private Instant eventTime;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Outcome outcome;

    @Column(name = "limit_set_id", nullable = false, length = 128)
    private String limitSetId;

    /** Null when no limit set was in force at the run's start. */
    @Column(name = "limit_set_version")
    private Integer limitSetVersion;

    @Column(length = 1000)
    private String reason;

    /** When this service stored the verdict (database clock). */
    @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
    private Instant receivedAt;

    @OneToMany(mappedBy = "verdict")
    @OrderBy("id")
    private List<FailedCheckEntity> failedChecks = new ArrayList<>();

    protected VerdictEntity() {
        // for Hibernate
    }

    public Long getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }

    public String getRunId() {
        return runId;
    }

    public UnitEntity getUnit() {
        return unit;
    }

    public String getOperation() {
        return operation;
    }

    public int getAttempt() {
        return attempt;
    }

    public String getStation() {
        return station;
    }

    public Instant getRunStartTime() {
        return runStartTime;
    }

    public Instant getEventTime() {
        return eventTime;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public String getLimitSetId() {
        return limitSetId;
    }

    public Integer getLimitSetVersion() {
        return limitSetVersion;
    }

    public String getReason() {
        return reason;
    }

    public Instant getReceivedAt() {
        return receivedAt;
    }

    public List<FailedCheckEntity> getFailedChecks() {
        return failedChecks;
    }
}
