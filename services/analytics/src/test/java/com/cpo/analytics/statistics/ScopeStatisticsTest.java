package com.cpo.analytics.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScopeStatisticsTest {

    private static final String SCOPE = "PRODUCT_LOT|CPO-OE16|L1";

    private static StatisticsBatch batch(double... lossDbByChannel) {
        JudgedAlignment run = new JudgedAlignment("CPO-OE16", "L1", "AA-01", 0L, 1_000L, lossDbByChannel, new Double[lossDbByChannel.length],
                filled(lossDbByChannel.length, 2.0), java.time.Instant.EPOCH);
        return new StatisticsBatch(SCOPE, StatisticsBatch.append(null, run));
    }

    @Test
    void eachChannelKeepsItsOwnDistributionAndOnlyTheChannelsABatchChangedAreEmitted() {
        ScopeStatistics s = new ScopeStatistics().add(batch(1.0, 1.5)).add(batch(1.2, Double.NaN));

        assertThat(s.lastChanged).containsExactly(1);
        assertThat(s.channels.get(1).summary.count()).isEqualTo(2);
        assertThat(s.channels.get(1).summary.mean()).isCloseTo(1.1, within(1e-12));
        assertThat(s.channels.get(2).summary.count()).isEqualTo(1);
        assertThat(s.channels.get(2).revision).isEqualTo(1);
        assertThat(s.channels.get(1).upperLimitDb).isEqualTo(2.0);
    }

    @Test
    void survivesItsSerde() {
        ScopeStatistics s = new ScopeStatistics().add(batch(1.0, 1.5, 0.9)).add(batch(1.2, Double.NaN, 1.1));
        var serde = ScopeStatistics.serde();

        ScopeStatistics back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));

        assertThat(back.lastChanged).containsExactly(1, 3);
        assertThat(back.channels.keySet()).containsExactly(1, 2, 3);
        for (int channel : back.channels.keySet()) {
            assertThat(back.channels.get(channel).summary.count()).isEqualTo(s.channels.get(channel).summary.count());
            assertThat(back.channels.get(channel).summary.mean()).isEqualTo(s.channels.get(channel).summary.mean());
            assertThat(back.channels.get(channel).revision).isEqualTo(s.channels.get(channel).revision);
        }
    }

    private static Double[] filled(int n, double v) {
        Double[] a = new Double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
