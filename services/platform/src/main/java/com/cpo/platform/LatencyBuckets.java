package com.cpo.platform;

import java.time.Duration;

/**
 * Histogram buckets of the service's latency timers: a dozen fixed bounds (5 ms … 60 s) that a Grafana
 * {@code histogram_quantile} reads well, instead of Micrometer's ~70 default buckets per timer.
 */
public final class LatencyBuckets {

    public static final Duration[] BOUNDS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private LatencyBuckets() {
    }
}
