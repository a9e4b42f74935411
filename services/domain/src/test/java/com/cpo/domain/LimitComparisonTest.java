package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.domain.LimitComparison.Change;
import com.cpo.domain.LimitComparison.Row;

class LimitComparisonTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eachChannelIsComparedByTheLimitThatBindsItInEachVersion() {
        // base: coupling loss ≤ 2.0 on every channel, ≤ 1.5 on channel 2; channel spread ≤ 0.8
        LimitSet base = new LimitSet("P/ALIGN", 1, T, List.of(new Limit("coupling_loss", null, null, 2.0, "dB"),
                new Limit("coupling_loss", 2, null, 1.5, "dB"), new Limit("channel_spread", null, null, 0.8, "dB")));
        // draft: ≤ 1.8 on every channel (channel 2's own limit dropped), channel 3 ≤ 2.2; PDL ≤ 0.5 new; spread removed
        LimitSet draft = new LimitSet("P/ALIGN", 2, T, List.of(new Limit("coupling_loss", null, null, 1.8, "dB"),
                new Limit("coupling_loss", 3, null, 2.2, "dB"), new Limit("pdl", null, null, 0.5, "dB")));

        List<Row> rows = LimitComparison.compare(base, draft, 4);

        List<Row> loss = rows.stream().filter(r -> r.parameter().equals("coupling_loss")).toList();
        assertThat(loss).extracting(Row::channel).containsExactly(1, 2, 3, 4);
        assertThat(loss).extracting(Row::change).containsExactly(Change.TIGHTER, Change.LOOSER, Change.LOOSER, Change.TIGHTER);
        assertThat(loss.get(1).baseUpper()).isEqualTo(1.5);
        assertThat(loss.get(1).baseChannel()).isEqualTo(2);
        assertThat(loss.get(1).candidateUpper()).isEqualTo(1.8);
        assertThat(loss.get(1).candidateChannel()).isNull();
        assertThat(loss.get(2).candidateChannel()).isEqualTo(3);
        assertThat(rows.stream().filter(r -> r.parameter().equals("pdl"))).extracting(Row::change).containsOnly(Change.ADDED).hasSize(4);
        // a parameter of the whole unit is one row without a channel
        assertThat(rows.stream().filter(r -> r.parameter().equals("channel_spread")).toList())
                .singleElement().satisfies(r -> {
                    assertThat(r.channel()).isNull();
                    assertThat(r.change()).isEqualTo(Change.REMOVED);
                });
        // catalogue order: coupling loss, PDL, then channel spread
        assertThat(rows.stream().map(Row::parameter).distinct()).containsExactly("coupling_loss", "pdl", "channel_spread");
    }

    @Test
    void boundsAreComparedByWhatTheyLetPass() {
        Limit window = new Limit("power_drift", null, -0.5, 0.5, "dB");
        assertThat(LimitComparison.change(window, new Limit("power_drift", null, -0.4, 0.5, "dB"))).isEqualTo(Change.TIGHTER);
        assertThat(LimitComparison.change(window, new Limit("power_drift", null, -0.6, 0.5, "dB"))).isEqualTo(Change.LOOSER);
        assertThat(LimitComparison.change(window, new Limit("power_drift", null, -0.4, 0.6, "dB"))).isEqualTo(Change.MIXED);
        assertThat(LimitComparison.change(window, new Limit("power_drift", null, null, 0.5, "dB"))).isEqualTo(Change.LOOSER);
        assertThat(LimitComparison.change(new Limit("power_drift", null, null, 0.5, "dB"), window)).isEqualTo(Change.TIGHTER);
        assertThat(LimitComparison.change(window, new Limit("power_drift", 3, -0.5, 0.5, "dB"))).isEqualTo(Change.SAME);
        assertThat(LimitComparison.change(null, window)).isEqualTo(Change.ADDED);
        assertThat(LimitComparison.change(window, null)).isEqualTo(Change.REMOVED);
    }
}
