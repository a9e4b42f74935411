package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WhatIfTest {

    private static final LimitSet IN_FORCE = new LimitSet("P/ALIGN", 1, Instant.EPOCH,
            List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 2.0, "dB")));
    private static final LimitSet DRAFT = new LimitSet("P/ALIGN", 2, Instant.EPOCH,
            List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 1.5, "dB"), new Limit(Parameters.COUPLING_LOSS, 2, null, 1.0, "dB")));
    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    /** Two channels, three steps; channel 1 at {@code ch1} and channel 2 at {@code ch2} after cure, 0.5 dB before. */
    private static WhatIf.Run run(String station, int attempt, double ch1, double ch2) {
        List<ChannelValue> values = new ArrayList<>();
        for (String step : List.of("PRE_CURE", "POST_UV")) {
            values.add(new ChannelValue(step, 1, 0.5));
            values.add(new ChannelValue(step, 2, 0.5));
        }
        values.add(new ChannelValue("POST_THERMAL", 1, ch1));
        values.add(new ChannelValue("POST_THERMAL", 2, ch2));
        return new WhatIf.Run(station, T.plusSeconds(3600L * attempt), attempt, false, 3, 3, values);
    }

    @Test
    void bothVersionsJudgeEveryRunAndTheFiguresAreThoseComputedByHand() {
        WhatIf w = new WhatIf(IN_FORCE, DRAFT, 2);
        // A: passes both (ch1 1.2, ch2 0.8)
        assertThat(w.unit("A", List.of(run("AA-01", 1, 1.2, 0.8)))).isEmpty();
        // B: ch2 1.2 passes 2.0 but fails the draft's channel-2 limit 1.0: PASS → FAIL
        List<WhatIf.Flip> b = w.unit("B", List.of(run("AA-01", 1, 1.2, 1.2)));
        assertThat(b).singleElement().satisfies(f -> {
            assertThat(f.inForce()).isEqualTo(Outcome.PASS);
            assertThat(f.draft()).isEqualTo(Outcome.FAIL);
            assertThat(f.checks()).singleElement().satisfies(c -> {
                assertThat(c.channel()).isEqualTo(2);
                assertThat(c.upper()).isEqualTo(1.0);
                assertThat(c.value()).isEqualTo(1.2);
            });
        });
        // C: fails both first (ch1 2.5), retest at RW-01 passes both (1.4, 0.9)
        assertThat(w.unit("C", List.of(run("RW-01", 2, 1.4, 0.9), run("AA-01", 1, 2.5, 0.9)))).isEmpty();
        assertThat(w.runs()).isEqualTo(4);
        assertThat(w.flips()).isEqualTo(1);
        assertThat(w.passToFail()).isEqualTo(1);
        assertThat(w.failToPass()).isZero();

        List<WhatIf.Row> rows = w.rows();
        // all stations, the unit: 3 units; FPY in force 2/3 (A, B), draft 1/3 (A); final 3/3 and 2/3
        WhatIf.Row all = row(rows, null, null);
        assertThat(all.units()).isEqualTo(3);
        assertThat(all.fpyInForce()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(all.fpyDraft()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(all.finalYieldInForce()).isEqualTo(1.0);
        assertThat(all.finalYieldDraft()).isCloseTo(2 / 3.0, within(1e-12));
        // channel 1, all stations: C's first run failed on channel 1 in both; channel 2 fails only B under the draft
        WhatIf.Row ch1 = row(rows, null, 1);
        assertThat(ch1.fpyInForce()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(ch1.fpyDraft()).isCloseTo(2 / 3.0, within(1e-12));
        WhatIf.Row ch2 = row(rows, null, 2);
        assertThat(ch2.fpyInForce()).isEqualTo(1.0);
        assertThat(ch2.fpyDraft()).isCloseTo(2 / 3.0, within(1e-12));
        // Cpk of channel 2 after cure over the 4 runs: 0.8, 1.2, 0.9, 0.9 → mean 0.95, s = sqrt(0.09 / 3) = 0.173205
        assertThat(ch2.values()).isEqualTo(4);
        assertThat(ch2.meanDb()).isCloseTo(0.95, within(1e-12));
        assertThat(ch2.sigmaDb()).isCloseTo(0.173205, within(1e-6));
        assertThat(ch2.uslInForceDb()).isEqualTo(2.0);
        assertThat(ch2.uslDraftDb()).isEqualTo(1.0);
        assertThat(ch2.cpkInForce()).isCloseTo((2.0 - 0.95) / (3 * 0.173205), within(1e-5));
        assertThat(ch2.cpkDraft()).isCloseTo((1.0 - 0.95) / (3 * 0.173205), within(1e-5));
        // the rework station sees C's retest only: 1 unit, first pass 1/1 with both
        WhatIf.Row rework = row(rows, "RW-01", null);
        assertThat(rework.units()).isEqualTo(1);
        assertThat(rework.fpyInForce()).isEqualTo(1.0);
        assertThat(rework.fpyDraft()).isEqualTo(1.0);
        WhatIf.Row aa = row(rows, "AA-01", null);
        assertThat(aa.units()).isEqualTo(3);
        assertThat(aa.finalYieldInForce()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void whatIfsOfDisjointUnitsMergeIntoTheFiguresOfAllTogether() {
        WhatIf all = new WhatIf(IN_FORCE, DRAFT, 2);
        WhatIf one = new WhatIf(IN_FORCE, DRAFT, 2);
        WhatIf two = new WhatIf(IN_FORCE, DRAFT, 2);
        all.unit("A", List.of(run("AA-01", 1, 1.2, 0.8)));
        all.unit("B", List.of(run("AA-01", 1, 1.2, 1.2)));
        all.unit("C", List.of(run("RW-01", 2, 1.4, 0.9), run("AA-01", 1, 2.5, 0.9)));
        one.unit("A", List.of(run("AA-01", 1, 1.2, 0.8)));
        two.unit("B", List.of(run("AA-01", 1, 1.2, 1.2)));
        two.unit("C", List.of(run("RW-01", 2, 1.4, 0.9), run("AA-01", 1, 2.5, 0.9)));
        one.merge(two);
        assertThat(one.runs()).isEqualTo(all.runs());
        assertThat(one.flips()).isEqualTo(all.flips());
        List<WhatIf.Row> merged = one.rows();
        List<WhatIf.Row> whole = all.rows();
        assertThat(merged).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            WhatIf.Row a = merged.get(i);
            WhatIf.Row b = whole.get(i);
            assertThat(a.units()).isEqualTo(b.units());
            assertThat(a.fpyDraft()).isEqualTo(b.fpyDraft());
            assertThat(a.finalYieldInForce()).isEqualTo(b.finalYieldInForce());
            assertThat(a.values()).isEqualTo(b.values());
            if (!Double.isNaN(b.meanDb())) {
                assertThat(a.meanDb()).isCloseTo(b.meanDb(), within(1e-12));
            }
        }
    }

    @Test
    void aLooserDraftFlipsFailToPassWithTheChecksThatFailedBefore() {
        WhatIf w = new WhatIf(DRAFT, IN_FORCE, 2);
        List<WhatIf.Flip> flips = w.unit("B", List.of(run("AA-01", 1, 1.2, 1.2)));
        assertThat(flips).singleElement().satisfies(f -> {
            assertThat(f.inForce()).isEqualTo(Outcome.FAIL);
            assertThat(f.draft()).isEqualTo(Outcome.PASS);
            assertThat(f.checks()).extracting(FailedCheck::channel).containsExactly(2);
        });
        assertThat(w.failToPass()).isEqualTo(1);
    }

    @Test
    void anAbortedRunIsIncompleteWithBothAndNeverFlips() {
        WhatIf w = new WhatIf(IN_FORCE, DRAFT, 2);
        WhatIf.Run r = run("AA-01", 1, 1.2, 1.2);
        assertThat(w.unit("D", List.of(new WhatIf.Run(r.station(), r.start(), 1, true, 3, 3, r.values())))).isEmpty();
        assertThat(row(w.rows(), null, null).fpyInForce()).isZero();
        assertThat(row(w.rows(), null, 2).values()).isZero();
    }

    private static WhatIf.Row row(List<WhatIf.Row> rows, String station, Integer channel) {
        return rows.stream().filter(r -> java.util.Objects.equals(r.station(), station) && java.util.Objects.equals(r.channel(), channel))
                .findFirst().orElseThrow();
    }
}
