package com.cpo.platform.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One failed check of a verdict. {@code value} and both limits are in {@code unitOfMeasure}. */
@Entity
@Table(name = "failed_checks")
public class FailedCheckEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "verdict_id", nullable = false)
    private VerdictEntity verdict;

    @Column(nullable = false, length = 64)
    private String parameter;

    /** Alignment step (PRE_CURE, POST_UV, POST_THERMAL) when the parameter is measured per step. */
    @Column(length = 32)
    private String step;

    /** Null for a check over the whole unit, such as channel-to-channel spread. */
    private Integer channel;

    @Column(nullable = false)
    private double value;

    @Column(name = "lower_limit")
    private Double lowerLimit;

    @Column(name = "upper_limit")
    private Double upperLimit;

    @Column(name = "unit_of_measure", nullable = false, length = 16)
    private String unitOfMeasure;

    protected FailedCheckEntity() {
        // for Hibernate
    }

    /** A new check of {@code verdict}, to persist. */
    public FailedCheckEntity(VerdictEntity verdict, String parameter, String step, Integer channel, double value,
            Double lowerLimit, Double upperLimit, String unitOfMeasure) {
        this.verdict = verdict;
        this.parameter = parameter;
        this.step = step;
        this.channel = channel;
        this.value = value;
        this.lowerLimit = lowerLimit;
        this.upperLimit = upperLimit;
        this.unitOfMeasure = unitOfMeasure;
    }

    public Long getId() {
        return id;
    }

    public VerdictEntity getVerdict() {
        return verdict;
    }

    public String getParameter() {
        return parameter;
    }

    public String getStep() {
        return step;
    }

    public Integer getChannel() {
        return channel;
    }

    public double getValue() {
        return value;
    }

    public Double getLowerLimit() {
        return lowerLimit;
    }

    public Double getUpperLimit() {
        return upperLimit;
    }

    public String getUnitOfMeasure() {
        return unitOfMeasure;
    }
}
