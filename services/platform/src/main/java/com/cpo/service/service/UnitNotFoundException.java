package com.cpo.service.service;

/** No unit with the requested serial has a stored verdict. */
public class UnitNotFoundException extends RuntimeException {

    private final String serial;

    public UnitNotFoundException(String serial) {
        super("No unit with serial '" + serial + "' has a verdict.");
        this.serial = serial;
    }

    public String serial() {
        return serial;
    }
}
