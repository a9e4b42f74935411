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

/** One limit of a limit set; both bounds are inclusive and in {@code unitOfMeasure}. */
@Entity
@Table(name = "limits")
public class LimitEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "limit_set_pk", nullable = false)
    private LimitSetEntity limitSet;

    /** Order in the set as drafted (the row order of an imported sheet). */
    @Column(nullable = false)
    private int position;

    @Column(nullable = false, length = 64)
    private String parameter;

    /** Null: every channel. */
    private Integer channel;

    @Column(name = "lower_limit")
    private Double lowerLimit;

    @Column(name = "upper_limit")
    private Double upperLimit;

    @Column(name = "unit_of_measure", nullable = false, length = 16)
    private String unitOfMeasure;

    @Column(length = 1000)
    private String description;

    protected LimitEntity() {
        // for Hibernate
    }

    public LimitEntity(LimitSetEntity limitSet, int position, String parameter, Integer channel, Double lowerLimit,
            Double upperLimit, String unitOfMeasure, String description) {
        this.limitSet = limitSet;
        this.position = position;
        this.parameter = parameter;
        this.channel = channel;
        this.lowerLimit = lowerLimit;
        this.upperLimit = upperLimit;
        this.unitOfMeasure = unitOfMeasure;
        this.description = description;
    }

    public Long getId() {
        return id;
    }

    public LimitSetEntity getLimitSet() {
        return limitSet;
    }

    public int getPosition() {
        return position;
    }

    public String getParameter() {
        return parameter;
    }

    public Integer getChannel() {
        return channel;
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

    public String getDescription() {
        return description;
    }
}
