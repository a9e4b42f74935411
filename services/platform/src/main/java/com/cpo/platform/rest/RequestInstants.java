package com.cpo.platform.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.cpo.platform.service.InvalidRequestException;

/** Instants in requests: ISO-8601, or a 400 problem naming the parameter. */
final class RequestInstants {

    private RequestInstants() {
    }

    /** The instant a parameter holds; null when blank or absent. */
    static Instant parse(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name, "'" + text + "' is not an ISO-8601 instant such as 2026-11-29T06:00:00Z");
        }
    }
}
