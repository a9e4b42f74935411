package com.cpo.platform.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters of yield and coupling-loss figures and of the workbook; null means "any".
 *
 * @param operation the operation of the per-lot, station, shift, trend and failure figures
 * @param from units whose first run of an operation started at or after this instant (inclusive)
 * @param to ... and before this one (exclusive)
 */
public record ReportFilter(String operation, String product, String lot, String station, Instant from, Instant to) {

    /**
     * Parses request parameters.
     *
     * @throws InvalidRequestException naming the parameter that is not an ISO-8601 instant, or a range that ends
     *         before it starts
     */
    public static ReportFilter of(String operation, String product, String lot, String station, String from, String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new InvalidRequestException("to", "'to' (" + to + ") must be after 'from' (" + from + ").");
        }
        return new ReportFilter(operation, blankToNull(product), blankToNull(lot), blankToNull(station), start, end);
    }

    /** Whether a run or unit starting at {@code start} is in the time range. */
    public boolean inRange(Instant start) {
        return (from == null || !start.isBefore(from)) && (to == null || start.isBefore(to));
    }

    /** The filters as a user reads them, e.g. "product=OE-1600; lot=any; ...". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("product=" + orAny(product));
        parts.add("lot=" + orAny(lot));
        parts.add("station=" + orAny(station));
        parts.add("from=" + (from == null ? "any" : from.toString()));
        parts.add("to=" + (to == null ? "any" : to.toString()));
        return String.join("; ", parts);
    }

    private static String orAny(String value) {
        return value == null ? "any" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(parameter, "'" + parameter + "' must be an ISO-8601 instant such as "
                    + "2026-03-02T06:00:00Z, not '" + value + "'.");
        }
    }
}
