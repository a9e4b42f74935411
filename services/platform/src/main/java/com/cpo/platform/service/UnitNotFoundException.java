package com.cpo.platform.service;

/** No event has named a unit with the requested serial. */
public class UnitNotFoundException extends RuntimeException {

    private final String serial;

    public UnitNotFoundException(String serial) {
        super("No unit with serial '" + serial + "' is known: no run of it has been reported or judged.");
        this.serial = serial;
    }

    public String serial() {
        return serial;
    }
}
