package com.cpo.analytics.yield;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import com.cpo.domain.PlantCalendar;
import com.cpo.events.YieldDimension;

/**
 * The yield groups a unit belongs to and what it adds to each, keyed {@code DIMENSION|product|operation|group}:
 * <ul>
 * <li>LOT, FIRST_STATION, SHIFT, HOUR, DAY: by the unit's lot, or the station, plant shift, plant hour (its start, ISO-8601
 * UTC) or plant day (ISO date) of its first run; the unit counts once there, with all its runs;</li>
 * <li>STATION: each station the unit was tested at, with that station's runs alone (the station's own yield: a rework
 * station sees retests only).</li>
 * </ul>
 */
public final class YieldGroups {

    private YieldGroups() {
    }

    public static Map<String, YieldContribution> of(UnitHistory h, PlantCalendar calendar) {
        Map<String, YieldContribution> groups = new LinkedHashMap<>();
        YieldContribution unit = h.contribution();
        UnitHistory.Run first = h.first();
        Instant firstStart = Instant.ofEpochMilli(first.startMs());
        groups.put(key(YieldDimension.LOT, h, h.lot()), unit);
        groups.put(key(YieldDimension.FIRST_STATION, h, first.station()), unit);
        groups.put(key(YieldDimension.SHIFT, h, calendar.shiftOf(firstStart)), unit);
        groups.put(key(YieldDimension.HOUR, h, calendar.hourStart(firstStart).toString()), unit);
        groups.put(key(YieldDimension.DAY, h, calendar.dayOf(firstStart).toString()), unit);
        h.contributionByStation().forEach((station, c) -> groups.put(key(YieldDimension.STATION, h, station), c));
        return groups;
    }

    static String key(YieldDimension dimension, UnitHistory h, String group) {
        return dimension + "|" + h.product() + "|" + h.operation() + "|" + group;
    }

    /** Where an HOUR or DAY group's window starts and ends, null for the others. */
    static Instant[] window(YieldDimension dimension, String group, PlantCalendar calendar) {
        return switch (dimension) {
            case HOUR -> new Instant[] {Instant.parse(group), Instant.parse(group).plusSeconds(3600)};
            case DAY -> calendar.dayWindow(LocalDate.parse(group));
            default -> null;
        };
    }
}
