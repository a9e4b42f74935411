package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DpatTest {

    @Test
    void limitsAreTheMedianPlusMinusKRobustSigmasComputedByHand() {
        // 1..9: median 5; Q1 at rank 0.25 × 8 = 2 → 3, Q3 at rank 6 → 7; IQR 4; robust σ 4 / 1.35 = 2.962963
        Dpat.Limits limits = Dpat.limits(new double[] {9, 1, 8, 2, 7, 3, 6, 4, 5}, 6, 5).orElseThrow();
        assertThat(limits.population()).isEqualTo(9);
        assertThat(limits.median()).isEqualTo(5.0);
        assertThat(limits.robustSigma()).isCloseTo(2.962963, within(1e-6));
        assertThat(limits.lower()).isCloseTo(5 - 17.777778, within(1e-6));
        assertThat(limits.upper()).isCloseTo(5 + 17.777778, within(1e-6));
    }

    @Test
    void quartilesInterpolateBetweenRanks() {
        // 1.00, 1.10, 1.20, 1.30 (n = 4): Q1 at rank 0.75 → 1.075, median at 1.5 → 1.15, Q3 at 2.25 → 1.225; IQR 0.15
        // robust σ 0.15 / 1.35 = 0.111111; k = 3: 1.15 ± 0.333333 → [0.816667, 1.483333]
        Dpat.Limits limits = Dpat.limits(new double[] {1.3, 1.0, 1.2, 1.1}, 3, 4).orElseThrow();
        assertThat(limits.median()).isCloseTo(1.15, within(1e-12));
        assertThat(limits.robustSigma()).isCloseTo(0.111111, within(1e-6));
        assertThat(limits.lower()).isCloseTo(0.816667, within(1e-6));
        assertThat(limits.upper()).isCloseTo(1.483333, within(1e-6));
        assertThat(limits.outside(1.483333)).isFalse();
        assertThat(limits.outside(1.49)).isTrue();
        assertThat(limits.outside(0.8)).isTrue();
    }

    @Test
    void aPassingUnitFarFromItsLotIsAnOutlierWhileTheSpreadOfTheRestIsNot() {
        // 30 units of a lot near 1.0 dB and one at 1.6 dB: all pass a 2.0 dB limit; only the last is outside 6 robust σ
        double[] lot = new double[31];
        for (int i = 0; i < 30; i++) {
            lot[i] = 1.0 + (i % 10) * 0.01; // 1.00 .. 1.09, three times
        }
        lot[30] = 1.6;
        Dpat.Limits limits = Dpat.limits(lot, 6, 30).orElseThrow();
        // sorted: 1.00×3, 1.01×3, ..., 1.09×3, 1.6; Q1 rank 7.5 → 1.02; median rank 15 → 1.05; Q3 rank 22.5 (ranks 22, 23: 1.07) → 1.07
        assertThat(limits.median()).isCloseTo(1.05, within(1e-12));
        assertThat(limits.robustSigma()).isCloseTo(0.05 / 1.35, within(1e-12));
        assertThat(limits.upper()).isCloseTo(1.05 + 6 * 0.05 / 1.35, within(1e-12));
        assertThat(limits.outside(1.6)).isTrue();
        for (int i = 0; i < 30; i++) {
            assertThat(limits.outside(lot[i])).isFalse();
        }
    }

    @Test
    void tooSmallAPopulationGivesNoLimitsAndNanIsLeftOut() {
        assertThat(Dpat.limits(new double[] {1, 2, 3, Double.NaN}, 6, 4)).isEmpty();
        assertThat(Dpat.limits(new double[] {1, 2, 3, 4, Double.NaN}, 6, 4)).isPresent();
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        assertThatThrownBy(() -> new Dpat.Settings(true, 0, 30, Dpat.Basis.LOT, 0)).hasMessageContaining("k must be");
        assertThatThrownBy(() -> new Dpat.Settings(true, 6, 2, Dpat.Basis.LOT, 0)).hasMessageContaining("minimum population");
        assertThatThrownBy(() -> new Dpat.Settings(true, 6, 30, Dpat.Basis.WINDOW, 10)).hasMessageContaining("window must be");
        assertThat(Dpat.DEFAULTS.k()).isEqualTo(6.0);
    }

    @Test
    void perLotTheWholeLotGivesTheLimitsAndOnlyTheFarUnitIsFlaggedOnItsChannel() {
        // lot L1: 30 units, channel 1 at 1.00..1.09 (three times), channel 2 at 0.9; unit X has channel 1 at 1.6
        java.util.List<Dpat.Part> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            parts.add(new Dpat.Part("U" + i, "L1", new double[] {1.0 + (i % 10) * 0.01, 0.9 + (i % 3) * 0.01}));
        }
        parts.add(new Dpat.Part("X", "L1", new double[] {1.6, 0.91}));
        // lot L2 has too few units for limits: never flagged, even far away
        parts.add(new Dpat.Part("Y", "L2", new double[] {9.0, 9.0}));
        java.util.List<Dpat.Screened> screened = Dpat.screen(parts, new Dpat.Settings(true, 6, 30, Dpat.Basis.LOT, 200));
        assertThat(screened).filteredOn(Dpat.Screened::outlier).extracting(s -> s.part().id()).containsExactly("X");
        Dpat.Screened x = screened.get(30);
        assertThat(x.outlierChannels()).containsExactly(1);
        assertThat(x.limitsByChannel()[0].median()).isCloseTo(1.05, within(1e-12));
        assertThat(x.limitsByChannel()[0].upper()).isCloseTo(1.05 + 6 * 0.05 / 1.35, within(1e-12));
        assertThat(screened.get(31).limitsByChannel()[0]).isNull();
        assertThat(Dpat.screen(parts, new Dpat.Settings(false, 6, 30, Dpat.Basis.LOT, 200))).isEmpty();
    }

    @Test
    void perWindowEachRunIsHeldToTheStationsLastNRunsBeforeIt() {
        // station S: 5 runs at 1.0, 1.1, 1.2, 1.3, 1.4 dB, then 1.8 and 1.35; window 5, k 3, at least 5
        double[] values = {1.0, 1.1, 1.2, 1.3, 1.4, 1.8, 1.35};
        java.util.List<Dpat.Part> parts = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            parts.add(new Dpat.Part("R" + i, "S", new double[] {values[i]}));
        }
        java.util.List<Dpat.Screened> screened = Dpat.screen(parts, new Dpat.Settings(true, 3, 5, Dpat.Basis.WINDOW, 5));
        // the first five have fewer than 5 before them: no limits
        for (int i = 0; i < 5; i++) {
            assertThat(screened.get(i).limitsByChannel()[0]).isNull();
        }
        // R5 against 1.0..1.4: median 1.2, Q1 1.1, Q3 1.3, robust σ 0.2/1.35 = 0.148148; upper 1.2 + 3 × 0.148148 = 1.644444
        Dpat.Limits r5 = screened.get(5).limitsByChannel()[0];
        assertThat(r5.upper()).isCloseTo(1.644444, within(1e-6));
        assertThat(screened.get(5).outlierChannels()).containsExactly(1);
        // R6 against 1.1, 1.2, 1.3, 1.4, 1.8 (R0 left the window): median 1.3, Q1 1.2, Q3 1.4; 1.35 is inside
        Dpat.Limits r6 = screened.get(6).limitsByChannel()[0];
        assertThat(r6.median()).isCloseTo(1.3, within(1e-12));
        assertThat(r6.robustSigma()).isCloseTo(0.2 / 1.35, within(1e-12));
        assertThat(screened.get(6).outlier()).isFalse();
    }
}
