package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ReportCadenceTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aDailyReportRunsAtItsLocalTimeAndCoversTheLocalDayBefore() {
        ReportCadence daily = ReportCadence.parse("daily", null, "06:00");
        // 2026-11-29 05:00 UTC is 06:00 in Berlin (CET, +1): exactly at the time is not after it
        assertThat(daily.nextAfter(Instant.parse("2026-11-29T04:59:00Z"), BERLIN)).isEqualTo("2026-11-29T05:00:00Z");
        assertThat(daily.nextAfter(Instant.parse("2026-11-29T05:00:00Z"), BERLIN)).isEqualTo("2026-11-30T05:00:00Z");
        assertThat(daily.periodStart(Instant.parse("2026-11-30T05:00:00Z"), BERLIN)).isEqualTo("2026-11-29T05:00:00Z");
        // across the spring DST change (2026-03-29, 02:00 → 03:00): 06:00 local is 05:00 UTC before, 04:00 UTC after, and the
        // day it covers is 23 hours long
        assertThat(daily.nextAfter(Instant.parse("2026-03-28T06:00:00Z"), BERLIN)).isEqualTo("2026-03-29T04:00:00Z");
        assertThat(daily.periodStart(Instant.parse("2026-03-29T04:00:00Z"), BERLIN)).isEqualTo("2026-03-28T05:00:00Z");
        // after an outage of three days, the run due now is the latest one: the day that just ended
        assertThat(daily.latestAtOrBefore(Instant.parse("2026-11-29T12:00:00Z"), BERLIN)).isEqualTo("2026-11-29T05:00:00Z");
        assertThat(daily.latestAtOrBefore(Instant.parse("2026-11-29T05:00:00Z"), BERLIN)).isEqualTo("2026-11-29T05:00:00Z");
    }

    @Test
    void aWeeklyReportRunsOnItsWeekdayAndCoversTheWeekBefore() {
        ReportCadence weekly = ReportCadence.parse("WEEKLY", "monday", "07:30");
        // Sunday 2026-11-29 → Monday 2026-11-30 07:30 Berlin = 06:30 UTC
        assertThat(weekly.nextAfter(Instant.parse("2026-11-29T12:00:00Z"), BERLIN)).isEqualTo("2026-11-30T06:30:00Z");
        // on the Monday after the run: a week later
        assertThat(weekly.nextAfter(Instant.parse("2026-11-30T06:30:00Z"), BERLIN)).isEqualTo("2026-12-07T06:30:00Z");
        assertThat(weekly.periodStart(Instant.parse("2026-11-30T06:30:00Z"), BERLIN)).isEqualTo("2026-11-23T06:30:00Z");
        assertThat(weekly.latestAtOrBefore(Instant.parse("2026-12-03T12:00:00Z"), BERLIN)).isEqualTo("2026-11-30T06:30:00Z");
    }

    @Test
    void aBadCadenceIsRefusedNamingItsField() {
        assertThatThrownBy(() -> ReportCadence.parse("hourly", null, "06:00")).hasMessageContaining("cadence 'hourly'");
        assertThatThrownBy(() -> ReportCadence.parse("weekly", "someday", "06:00")).hasMessageContaining("dayOfWeek 'someday'");
        assertThatThrownBy(() -> ReportCadence.parse("daily", null, "25:00")).hasMessageContaining("at '25:00'");
    }
}
