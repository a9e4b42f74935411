package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class PlantCalendarTest {

    private final PlantCalendar singapore = PlantCalendar.parse(PlantCalendar.DEFAULT_SHIFTS, "Asia/Singapore");

    @Test
    void shiftsDaysWeeksAndMonthsAreThePlantsNotUtcs() {
        // 2026-11-29 23:30 UTC is 2026-11-30 07:30 in Singapore (UTC+8): shift A, Monday 30 November, week 49, November
        Instant t = Instant.parse("2026-11-29T23:30:00Z");
        assertThat(singapore.shiftOf(t)).isEqualTo("A");
        assertThat(singapore.dayOf(t)).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(singapore.weekOf(t)).isEqualTo("2026-W49");
        assertThat(singapore.monthOf(Instant.parse("2026-11-30T16:30:00Z"))).isEqualTo(YearMonth.parse("2026-12"));
        assertThat(PlantCalendar.defaults().shiftOf(t)).isEqualTo("C");
        assertThat(PlantCalendar.defaults().dayOf(t)).isEqualTo(LocalDate.parse("2026-11-29"));
    }

    @Test
    void aDaysIsoWeekMayBelongToTheNeighbouringYear() {
        assertThat(PlantCalendar.weekOf(LocalDate.parse("2027-01-01"))).isEqualTo("2026-W53");
        assertThat(PlantCalendar.weekOf(LocalDate.parse("2025-12-29"))).isEqualTo("2026-W01");
        assertThat(singapore.weekOf(Instant.parse("2026-12-31T16:30:00Z"))).isEqualTo("2026-W53");
    }

    @Test
    void aNightShiftWrapsPastMidnightAndGapsAreNamed() {
        PlantCalendar twoShifts = PlantCalendar.parse("D=07:00-19:00,N=19:00-07:00", "UTC");
        assertThat(twoShifts.shiftOf(Instant.parse("2026-11-24T02:00:00Z"))).isEqualTo("N");
        assertThat(twoShifts.shiftOf(Instant.parse("2026-11-24T19:00:00Z"))).isEqualTo("N");
        assertThat(twoShifts.shiftOf(Instant.parse("2026-11-24T18:59:59Z"))).isEqualTo("D");
        assertThat(twoShifts.shiftOf(java.time.LocalTime.parse("06:59"))).isEqualTo("N");
        assertThat(PlantCalendar.parse("D=07:00-15:00", "UTC").shiftOf(Instant.parse("2026-11-24T16:00:00Z"))).isEqualTo(PlantCalendar.NO_SHIFT);
    }

    @Test
    void windowsStartAtThePlantsMidnightAndHoursAtItsFullHour() {
        Instant[] day = singapore.dayWindow(LocalDate.parse("2026-11-30"));
        assertThat(day).containsExactly(Instant.parse("2026-11-29T16:00:00Z"), Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(singapore.weekWindow(Instant.parse("2026-11-29T23:30:00Z")))
                .containsExactly(Instant.parse("2026-11-29T16:00:00Z"), Instant.parse("2026-12-06T16:00:00Z"));
        PlantCalendar india = PlantCalendar.parse(PlantCalendar.DEFAULT_SHIFTS, "Asia/Kolkata"); // UTC+5:30
        assertThat(india.hourStart(Instant.parse("2026-11-24T06:10:00Z"))).isEqualTo(Instant.parse("2026-11-24T05:30:00Z"));
    }

    @Test
    void oneConfigurationIsReadBySystemPropertyOrEnvironmentAndMistakesAreNamed() {
        Properties system = new Properties();
        system.setProperty(PlantCalendar.ZONE_KEY, "Asia/Singapore");
        assertThat(PlantCalendar.from(Map.of(), system).zone().getId()).isEqualTo("Asia/Singapore");
        assertThat(PlantCalendar.from(Map.of("CPO_PLANT_ZONE", "Europe/Berlin"), new Properties()).zone().getId()).isEqualTo("Europe/Berlin");
        assertThat(PlantCalendar.from(Map.of(), new Properties()).describe()).contains("UTC", "A=06:00-14:00");
        assertThatThrownBy(() -> PlantCalendar.parse("A=6-14", "UTC")).hasMessageContaining("'A=6-14'");
        assertThatThrownBy(() -> PlantCalendar.parse(PlantCalendar.DEFAULT_SHIFTS, "Mars/Olympus")).hasMessageContaining("Mars/Olympus");
    }
}
