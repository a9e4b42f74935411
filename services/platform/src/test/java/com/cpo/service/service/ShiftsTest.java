package com.cpo.service.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ShiftsTest {

    private final Shifts defaults = Shifts.parse("A=06:00-14:00,B=14:00-22:00,C=22:00-06:00", "UTC");

    @Test
    void shiftStartsAreInclusiveAndEndsExclusive() {
        assertThat(defaults.of(Instant.parse("2026-03-02T06:00:00Z"))).isEqualTo("A");
        assertThat(defaults.of(Instant.parse("2026-03-02T13:59:59Z"))).isEqualTo("A");
        assertThat(defaults.of(Instant.parse("2026-03-02T14:00:00Z"))).isEqualTo("B");
        assertThat(defaults.of(Instant.parse("2026-03-02T22:00:00Z"))).isEqualTo("C");
    }

    @Test
    void nightShiftWrapsPastMidnight() {
        assertThat(defaults.of(Instant.parse("2026-03-02T23:30:00Z"))).isEqualTo("C");
        assertThat(defaults.of(Instant.parse("2026-03-03T05:59:59Z"))).isEqualTo("C");
    }

    @Test
    void shiftTimesAreInTheConfiguredZone() {
        // given: 06:00 in Penang is 22:00 UTC the day before
        Shifts penang = Shifts.parse("A=06:00-14:00,B=14:00-22:00,C=22:00-06:00", "Asia/Kuala_Lumpur");

        // then
        assertThat(penang.of(Instant.parse("2026-03-01T22:00:00Z"))).isEqualTo("A");
    }

    @Test
    void gapBetweenShiftsIsNamedNone() {
        assertThat(Shifts.parse("DAY=08:00-17:00", "UTC").of(Instant.parse("2026-03-02T20:00:00Z"))).isEqualTo("none");
    }

    @Test
    void malformedDefinitionSaysWhichShift() {
        assertThatThrownBy(() -> Shifts.parse("A=06:00-14:00,B 14:00", "UTC")).hasMessageContaining("B 14:00");
    }
}
