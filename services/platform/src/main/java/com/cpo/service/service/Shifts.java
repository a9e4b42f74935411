package com.cpo.service.service;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Shifts by time of day, e.g. {@code A=06:00-14:00,B=14:00-22:00,C=22:00-06:00} in UTC: a run belongs to the
 * shift its start falls in, start inclusive, end exclusive; a shift may wrap past midnight.
 */
public final class Shifts {

    private record Shift(String name, LocalTime start, LocalTime end) {

        boolean contains(LocalTime t) {
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }
    }

    private final List<Shift> shifts;
    private final ZoneId zone;
    private final String spec;

    private Shifts(List<Shift> shifts, ZoneId zone, String spec) {
        this.shifts = shifts;
        this.zone = zone;
        this.spec = spec;
    }

    /** Parses the configuration value; throws IllegalArgumentException saying what is wrong. */
    public static Shifts parse(String spec, String zone) {
        List<Shift> shifts = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] nameAndTimes = part.strip().split("=");
            String[] times = nameAndTimes.length == 2 ? nameAndTimes[1].split("-") : new String[0];
            if (times.length != 2) {
                throw new IllegalArgumentException("shift '" + part + "' is not NAME=HH:MM-HH:MM");
            }
            shifts.add(new Shift(nameAndTimes[0].strip(), LocalTime.parse(times[0].strip()), LocalTime.parse(times[1].strip())));
        }
        return new Shifts(List.copyOf(shifts), ZoneId.of(zone), spec);
    }

    /** The shift a run starting at {@code start} belongs to, or "none" where the configured shifts leave a gap. */
    public String of(Instant start) {
        LocalTime t = start.atZone(zone).toLocalTime();
        return shifts.stream().filter(s -> s.contains(t)).map(Shift::name).findFirst().orElse("none");
    }

    /** The definition as configured, with its time zone, for the workbook. */
    public String describe() {
        return spec + " (" + zone + ", by run start; start inclusive, end exclusive)";
    }
}
