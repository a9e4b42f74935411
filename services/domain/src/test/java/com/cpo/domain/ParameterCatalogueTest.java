package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParameterCatalogueTest {

    @Test
    void aDraftIsCheckedAgainstTheCatalogueListingEveryProblem() {
        List<ParameterCatalogue.Problem> problems = ParameterCatalogue.check("ALIGN", 16, List.of(
                new ParameterCatalogue.Draft("coupling_loss", null, null, 2.0, "dB"),
                new ParameterCatalogue.Draft("coupling_los", null, null, 2.0, "dB"),
                new ParameterCatalogue.Draft("coupling_loss", 17, null, 2.5, "dB"),
                new ParameterCatalogue.Draft("pdl", 3, null, 0.5, "mW"),
                new ParameterCatalogue.Draft("channel_spread", 2, null, 1.0, "dB"),
                new ParameterCatalogue.Draft("power_drift", null, -0.5, 0.5, "dB"),
                new ParameterCatalogue.Draft("cure_shift", null, 0.5, 0.3, "dB"),
                new ParameterCatalogue.Draft("coupling_loss", null, null, 2.1, "dB")));

        assertThat(problems).extracting(ParameterCatalogue.Problem::index, ParameterCatalogue.Problem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "parameter"), org.assertj.core.groups.Tuple.tuple(2, "channel"),
                org.assertj.core.groups.Tuple.tuple(3, "unitOfMeasure"), org.assertj.core.groups.Tuple.tuple(4, "channel"),
                org.assertj.core.groups.Tuple.tuple(5, "parameter"), org.assertj.core.groups.Tuple.tuple(6, "lowerLimit"),
                org.assertj.core.groups.Tuple.tuple(7, "channel"));
        assertThat(problems.get(0).message()).contains("'coupling_los' is not a parameter of ALIGN", "coupling_loss");
        assertThat(problems.get(1).message()).isEqualTo("channel 17 is outside 1..16 (the product has 16 channels)");
        assertThat(problems.get(2).message()).isEqualTo("'pdl' is in dB, not 'mW'");
        assertThat(problems.get(4).message()).contains("is a parameter of BURNIN, not of ALIGN");
        assertThat(problems.get(6).message()).contains("already limited by limits[0]");
        assertThat(ParameterCatalogue.check("BURNIN", null, List.of(new ParameterCatalogue.Draft("bias_drift", 40, null, 5.0, "%")))).isEmpty();
    }

    @Test
    void aChannelsOwnLimitBindsItOtherwiseTheAllChannelOne() {
        LimitSet set = new LimitSet("P/ALIGN", 1, java.time.Instant.EPOCH, List.of(new Limit(Parameters.COUPLING_LOSS, null, null, 2.0, "dB"),
                new Limit(Parameters.COUPLING_LOSS, 7, null, 2.5, "dB")));
        assertThat(set.binding(Parameters.COUPLING_LOSS, 7).orElseThrow().upper()).isEqualTo(2.5);
        assertThat(set.binding(Parameters.COUPLING_LOSS, 3).orElseThrow().upper()).isEqualTo(2.0);
        assertThat(set.binding(Parameters.PDL, 3)).isEmpty();
        // judged by its own limit only: 2.3 dB on channel 7 passes
        Evaluation e = AlignmentRules.evaluate(set, List.of(new ChannelValue("PRE_CURE", 7, 2.3, null), new ChannelValue("PRE_CURE", 3, 1.2, null)),
                false, 1, 1);
        assertThat(e.outcome()).isEqualTo(Outcome.PASS);
        assertThat(Products.parse("CPO-OE16=16,CPO-OE8=8").channelsOf("CPO-OE8")).isEqualTo(8);
    }
}
