package com.cpo.platform.service;

/** A request body beyond its bound (413). */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
