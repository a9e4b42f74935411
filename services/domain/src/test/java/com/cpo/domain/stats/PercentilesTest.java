package com.cpo.domain.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void theMedianOf1001ValuesIsTheMiddleOneEveryTime() {
        // given the reference: 1001 values whose exact median is 1.2
        double[] values = new double[1001];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1001; i++) {
            values[i] = i < 500 ? 1.0 + random.nextDouble() * 0.19 : i == 500 ? 1.2 : 1.21 + random.nextDouble() * 0.2;
        }
        // then the same values always give exactly 1.2
        for (int i = 0; i < 5; i++) {
            assertThat(Percentiles.of(values).at(0.5)).isEqualTo(1.2);
        }
    }

    @Test
    void betweenRanksItInterpolatesAsPercentileCont() {
        Percentiles p = Percentiles.of(new double[] {4, 1, 3, 2, Double.NaN});
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.at(0.5)).isEqualTo(2.5);
        assertThat(p.at(0.0)).isEqualTo(1.0);
        assertThat(p.at(1.0)).isEqualTo(4.0);
        assertThat(p.at(0.9)).isCloseTo(3.7, within(1e-12));
        assertThat(Percentiles.of(new double[0]).at(0.5)).isNaN();
    }
}
