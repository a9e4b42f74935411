package com.cpo.platform.service;

/** The thing a request names does not exist; the message names it. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
