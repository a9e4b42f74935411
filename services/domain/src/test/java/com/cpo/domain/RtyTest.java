package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RtyTest {

    @Test
    void rtyIsTheProductOfTheFirstPassYieldsAndAnOperationWithoutUnitsIsLeftOutAndNamed() {
        Rty rty = Rty.of(Map.of("ALIGN", new YieldFigures(100, 98, 99, 103, 101), "BURNIN", new YieldFigures(20, 19, 19, 20, 19),
                "FINAL", new YieldFigures(0, 0, 0, 0, 0)));
        assertThat(rty.value()).isCloseTo(0.98 * 0.95, within(1e-12));
        assertThat(rty.included()).containsExactly("ALIGN", "BURNIN");
        assertThat(rty.excluded()).containsExactly("FINAL");
        assertThat(Rty.of(Map.of("ALIGN", new YieldFigures(0, 0, 0, 0, 0))).value()).isNaN();
    }
}
