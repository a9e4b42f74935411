package com.cpo.platform.live;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the dashboard feed is {@link LiveFeed#ready(long) ready}: it has read what the analytics topics held
 * at start (so a first dashboard never gets a half-built snapshot), its thread runs, and its last poll
 * succeeded within {@value LiveFeed#MAX_SILENCE_S} s (so a feed that keeps failing, or one ended by an
 * {@link Error}, takes the instance out of its load balancer). A topic the analytics app has not created yet does not hold readiness back (it is
 * named in the check's data); the database and the Kafka channels have their own checks (Agroal, SmallRye
 * Reactive Messaging).
 */
@Readiness
@ApplicationScoped
public class LiveFeedReadiness implements HealthCheck {

    private final LiveFeed feed;
    private final LiveHub hub;

    LiveFeedReadiness(LiveFeed feed, LiveHub hub) {
        this.feed = feed;
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        long now = System.nanoTime();
        return HealthCheckResponse.named("dashboard-feed").status(feed.ready(now))
                .withData("caughtUp", feed.caughtUp())
                .withData("secondsSinceLastPoll", feed.secondsSinceLastPoll(now))
                .withData("missingTopics", String.join(",", feed.missingTopics()))
                .withData("dashboards", hub.subscribers())
                .build();
    }
}
