package com.cpo.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * When a scheduled report runs and what period it covers, on the plant's clock: every day at a local time, or every week on a
 * day at a local time. A run covers the period that ends at its scheduled time: the day (or the week) before it, in local time,
 * so a daily report at the start of the first shift covers exactly the plant's last production day, across a DST change too.
 *
 * @param day the weekday of a weekly report; null for a daily one
 */
public record ReportCadence(Kind kind, DayOfWeek day, LocalTime at) {

    public enum Kind {
        DAILY, WEEKLY
    }

    public ReportCadence {
        if (kind == null || at == null) {
            throw new IllegalArgumentException("a report cadence needs DAILY or WEEKLY and a local time");
        }
        if (kind == Kind.WEEKLY && day == null) {
            throw new IllegalArgumentException("a weekly report needs its weekday (MONDAY … SUNDAY)");
        }
        if (kind == Kind.DAILY) {
            day = null;
        }
    }

    /** Parses "DAILY", "WEEKLY", a weekday name (any case) and "HH:mm"; the message of a refusal names the field. */
    public static ReportCadence parse(String kind, String day, String at) {
        Kind k;
        try {
            k = Kind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cadence '" + kind + "' is not DAILY or WEEKLY");
        }
        DayOfWeek d = null;
        if (k == Kind.WEEKLY) {
            try {
                d = DayOfWeek.valueOf(day.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("dayOfWeek '" + day + "' is not MONDAY … SUNDAY");
            }
        }
        try {
            return new ReportCadence(k, d, LocalTime.parse(at.strip()));
        } catch (java.time.format.DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("at '" + at + "' is not a local time HH:mm");
        }
    }

    /** The first scheduled time strictly after {@code after}. */
    public Instant nextAfter(Instant after, ZoneId zone) {
        ZonedDateTime now = after.atZone(zone);
        ZonedDateTime candidate = now.toLocalDate().atTime(at).atZone(zone);
        if (kind == Kind.WEEKLY) {
            candidate = candidate.with(TemporalAdjusters.nextOrSame(day));
        }
        while (!candidate.toInstant().isAfter(after)) {
            candidate = kind == Kind.DAILY ? candidate.toLocalDate().plusDays(1).atTime(at).atZone(zone)
                    : candidate.toLocalDate().plusWeeks(1).atTime(at).atZone(zone);
        }
        return candidate.toInstant();
    }

    /** The latest scheduled time at or before {@code at} (the run whose period has just ended). */
    public Instant latestAtOrBefore(Instant at, ZoneId zone) {
        Instant next = nextAfter(at, zone);
        ZonedDateTime n = next.atZone(zone);
        return (kind == Kind.DAILY ? n.toLocalDate().minusDays(1) : n.toLocalDate().minusWeeks(1)).atTime(this.at).atZone(zone).toInstant();
    }

    /** Where the period of the run scheduled at {@code runAt} starts: a local day or week before it. */
    public Instant periodStart(Instant runAt, ZoneId zone) {
        ZonedDateTime end = runAt.atZone(zone);
        return (kind == Kind.DAILY ? end.toLocalDate().minusDays(1) : end.toLocalDate().minusWeeks(1)).atTime(end.toLocalTime())
                .atZone(zone).toInstant();
    }
}
