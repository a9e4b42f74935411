package com.cpo.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The plant's calendar: its time zone and its shifts. Hours, shifts, days, weeks and months of yield and statistics are
 * the plant's, whatever zone a server runs in; UTC stays the storage and wire format. One configuration, read by every
 * component: {@value #ZONE_KEY} (default UTC) and {@value #SHIFTS_KEY} (default {@value #DEFAULT_SHIFTS}), as system
 * properties or environment variables ({@code CPO_PLANT_ZONE}, {@code CPO_PLANT_SHIFTS}).
 *
 * <p>A run belongs to the shift its start falls in (start inclusive, end exclusive; a shift may wrap past midnight) and
 * to the plant's calendar day, ISO week (Monday first) and month of its start.
 */
public final class PlantCalendar {

    public static final String ZONE_KEY = "cpo.plant.zone";
    public static final String SHIFTS_KEY = "cpo.plant.shifts";
    public static final String DEFAULT_SHIFTS = "A=06:00-14:00,B=14:00-22:00,C=22:00-06:00";
    /** The group of a run outside every configured shift. */
    public static final String NO_SHIFT = "none";

    /** A shift: its name and local start and end times. */
    public record Shift(String name, LocalTime start, LocalTime end) {

        boolean contains(LocalTime t) {
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }
    }

    private final ZoneId zone;
    private final List<Shift> shifts;
    private final String spec;

    private PlantCalendar(ZoneId zone, List<Shift> shifts, String spec) {
        this.zone = zone;
        this.shifts = shifts;
        this.spec = spec;
    }

    /** UTC and the default shifts. */
    public static PlantCalendar defaults() {
        return parse(DEFAULT_SHIFTS, "UTC");
    }

    /**
     * Parses the configuration; throws IllegalArgumentException saying what is wrong.
     *
     * @param shifts {@code NAME=HH:MM-HH:MM} separated by commas
     * @param zone a time-zone id, e.g. Asia/Singapore
     */
    public static PlantCalendar parse(String shifts, String zone) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(ZONE_KEY + " '" + zone + "' is not a time-zone id such as UTC or Asia/Singapore");
        }
        List<Shift> parsed = new ArrayList<>();
        for (String part : shifts.split(",")) {
            String[] nameAndTimes = part.strip().split("=");
            String[] times = nameAndTimes.length == 2 ? nameAndTimes[1].split("-") : new String[0];
            if (times.length != 2 || nameAndTimes[0].isBlank()) {
                throw new IllegalArgumentException(SHIFTS_KEY + ": shift '" + part.strip() + "' is not NAME=HH:MM-HH:MM");
            }
            try {
                parsed.add(new Shift(nameAndTimes[0].strip(), LocalTime.parse(times[0].strip()), LocalTime.parse(times[1].strip())));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(SHIFTS_KEY + ": shift '" + part.strip() + "' has a time that is not HH:MM");
            }
        }
        return new PlantCalendar(zoneId, List.copyOf(parsed), shifts.strip());
    }

    /** The configured calendar: system properties first, then the environment, then the defaults. */
    public static PlantCalendar from(Map<String, String> env, Properties system) {
        return parse(get(SHIFTS_KEY, DEFAULT_SHIFTS, env, system), get(ZONE_KEY, "UTC", env, system));
    }

    private static String get(String key, String fallback, Map<String, String> env, Properties system) {
        String value = system.getProperty(key);
        if (value == null) {
            value = env.get(key.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    public ZoneId zone() {
        return zone;
    }

    public List<Shift> shifts() {
        return shifts;
    }

    /** The shift a run starting at {@code start} belongs to, or {@value #NO_SHIFT} where the shifts leave a gap. */
    public String shiftOf(Instant start) {
        return shiftOf(start.atZone(zone).toLocalTime());
    }

    /** The shift a plant-local time of day belongs to, or {@value #NO_SHIFT}. */
    public String shiftOf(LocalTime t) {
        return shifts.stream().filter(s -> s.contains(t)).map(Shift::name).findFirst().orElse(NO_SHIFT);
    }

    /** The start of the plant-zone hour {@code t} is in. */
    public Instant hourStart(Instant t) {
        return t.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    /** The plant's calendar day of {@code t}. */
    public LocalDate dayOf(Instant t) {
        return t.atZone(zone).toLocalDate();
    }

    /** The plant's ISO week of {@code t}, e.g. 2026-W48. */
    public String weekOf(Instant t) {
        return weekOf(dayOf(t));
    }

    /** The ISO week of a plant day, e.g. 2026-W48 (Monday first; the week-based year may differ from the date's). */
    public static String weekOf(LocalDate day) {
        return String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The plant's month of {@code t}, e.g. 2026-11. */
    public YearMonth monthOf(Instant t) {
        return YearMonth.from(dayOf(t));
    }

    /** Where a plant day starts and ends (23 or 25 hours on a daylight-saving change). */
    public Instant[] dayWindow(LocalDate day) {
        return new Instant[] {day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant()};
    }

    /** Where the plant week of {@code t} starts (Monday 00:00) and ends. */
    public Instant[] weekWindow(Instant t) {
        LocalDate monday = dayOf(t).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return new Instant[] {monday.atStartOfDay(zone).toInstant(), monday.plusWeeks(1).atStartOfDay(zone).toInstant()};
    }

    /** Where a plant month starts and ends. */
    public Instant[] monthWindow(YearMonth month) {
        return new Instant[] {month.atDay(1).atStartOfDay(zone).toInstant(), month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()};
    }

    /** The definition as configured, with its zone, for pages and workbooks. */
    public String describe() {
        return spec + " (" + zone + ", by run start; start inclusive, end exclusive)";
    }
}
