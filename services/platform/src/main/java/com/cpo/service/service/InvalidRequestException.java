package com.cpo.service.service;

/** A request parameter the service cannot act on; the message says which and why, for the caller. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
