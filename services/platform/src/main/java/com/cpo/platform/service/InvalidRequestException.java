package com.cpo.platform.service;

/** A request parameter the service cannot act on; the message says which and why, for the caller. */
public class InvalidRequestException extends RuntimeException {

    private final String parameter;

    public InvalidRequestException(String message) {
        this(null, message);
    }

    /** @param parameter the offending request parameter, as the caller named it */
    public InvalidRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The offending parameter, or null when the message alone names it. */
    public String parameter() {
        return parameter;
    }
}
