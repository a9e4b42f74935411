package com.cpo.platform.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LiveFeedReadyTest {

    private static final long NOW = Duration.ofHours(1).toNanos();

    @Test
    void readyWhenCaughtUpRunningAndPolledLately() {
        assertThat(LiveFeed.ready(true, true, NOW - Duration.ofSeconds(1).toNanos(), NOW)).isTrue();
    }

    @Test
    void notReadyBeforeCatchingUp() {
        assertThat(LiveFeed.ready(false, true, NOW, NOW)).isFalse();
    }

    @Test
    void notReadyOnceTheFeedsThreadEnded() {
        // e.g. ended by an Error after catching up
        assertThat(LiveFeed.ready(true, false, NOW, NOW)).isFalse();
    }

    @Test
    void notReadyWhenPollsKeepFailingForLongerThanTheAllowedSilence() {
        assertThat(LiveFeed.ready(true, true, NOW - Duration.ofSeconds(LiveFeed.MAX_SILENCE_S + 1).toNanos(), NOW)).isFalse();
    }
}
