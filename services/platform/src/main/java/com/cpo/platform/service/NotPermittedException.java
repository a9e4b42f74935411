package com.cpo.platform.service;

/** The caller is authenticated and has the role, but this action is not theirs to take (403), e.g. releasing their own draft. */
public class NotPermittedException extends RuntimeException {

    public NotPermittedException(String message) {
        super(message);
    }
}
