package com.cpo.schemas;

/** Raised when bytes on a topic are not an event this platform can read; the message says why. */
public class UndecodableEventException extends RuntimeException {

    public UndecodableEventException(String message) {
        super(message);
    }

    public UndecodableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
