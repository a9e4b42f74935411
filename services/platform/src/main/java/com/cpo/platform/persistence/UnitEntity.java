package com.cpo.platform.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An optical engine: product part number, serial (unique on the line) and production lot. */
@Entity
@Table(name = "units")
public class UnitEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 64)
    private String product;

    @Column(nullable = false, length = 128, unique = true)
    private String serial;

    @Column(nullable = false, length = 64)
    private String lot;

    @Column(name = "pic_wafer", length = 128)
    private String picWafer;

    @Column(name = "pic_die", length = 128)
    private String picDie;

    @Column(name = "fiber_array_serial", length = 128)
    private String fiberArraySerial;

    protected UnitEntity() {
        // for Hibernate
    }

    public Long getId() {
        return id;
    }

    public String getProduct() {
        return product;
    }

    public String getSerial() {
        return serial;
    }

    public String getLot() {
        return lot;
    }

    public String getPicWafer() {
        return picWafer;
    }

    public String getPicDie() {
        return picDie;
    }

    public String getFiberArraySerial() {
        return fiberArraySerial;
    }
}
