package com.cpo.platform.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.cpo.platform.service.InvalidRequestException;

class LiveFilterTest {

    @Test
    void blankMeansEveryProductAndLot() {
        LiveFilter filter = LiveFilter.of(" ", null);

        assertThat(filter).isEqualTo(LiveFilter.ALL);
        assertThat(filter.productAndLot("CPO-OE16", "L1")).isTrue();
    }

    @Test
    void aFilterMatchesItsProductAndLotOnly() {
        LiveFilter filter = LiveFilter.of("CPO-OE16", "L261124-01");

        assertThat(filter.productAndLot("CPO-OE16", "L261124-01")).isTrue();
        assertThat(filter.productAndLot("CPO-OE16", "L261124-02")).isFalse();
        assertThat(filter.productAndLot("OE8-BI", "L261124-01")).isFalse();
    }

    @Test
    void aNameWithOtherCharactersIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> LiveFilter.of("CPO-OE16", "L1' OR 1=1"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.parameter()).isEqualTo("lot"));
    }
}
