package com.cpo.platform.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class UndecodableRecordsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final UndecodableRecords undecodable = new UndecodableRecords(registry, Duration.ofMinutes(1));

    @Test
    void everySkippedRecordIsCountedButAWarningIsLoggedAtMostOncePerMinute() {
        // given
        undecodable.expect("cpo.yield");
        assertThat(count("cpo.yield")).isZero();
        long t0 = 1_000_000_000L;

        // when three records are skipped within a minute, and one more a minute later
        boolean first = undecodable.skipped("cpo.yield", 0, 1, new IllegalArgumentException("bad"), t0);
        boolean second = undecodable.skipped("cpo.yield", 0, 2, new IllegalArgumentException("bad"), t0 + Duration.ofSeconds(1).toNanos());
        boolean third = undecodable.skipped("cpo.yield", 0, 3, new IllegalArgumentException("bad"), t0 + Duration.ofSeconds(59).toNanos());
        boolean later = undecodable.skipped("cpo.yield", 0, 4, new IllegalArgumentException("bad"), t0 + Duration.ofSeconds(61).toNanos());

        // then all four are counted, and the first and the later one logged
        assertThat(count("cpo.yield")).isEqualTo(4);
        assertThat(new boolean[] {first, second, third, later}).containsExactly(true, false, false, true);
    }

    private double count(String topic) {
        return registry.get("cpo.dashboard.records.undecodable").tag("topic", topic).counter().count();
    }
}
