package com.cpo.platform.service;

/** The request contradicts the current state (a released limit set cannot change, a draft already exists). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
