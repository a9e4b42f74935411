package com.cpo.service.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BurnInWatchTest {

    private static final double[] POWER_DRIFT_LIMIT_DB = {-0.5, 0.5};

    @Test
    void aFallingDriftReachesTheLowerLimitAfterTheRemainingMarginOverTheSlope() {
        // when drift is -0.1 dB and falls 0.02 dB per hour
        Double hours = BurnInWatch.hoursToLimit(-0.1, -0.02, POWER_DRIFT_LIMIT_DB);

        // then it reaches -0.5 dB in 20 h
        assertThat(hours).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void aRisingDriftHeadsForTheUpperLimit() {
        assertThat(BurnInWatch.hoursToLimit(-0.1, 0.06, POWER_DRIFT_LIMIT_DB)).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void aDriftBeyondItsLimitIsThereAlready() {
        assertThat(BurnInWatch.hoursToLimit(0.55, -0.01, POWER_DRIFT_LIMIT_DB)).isEqualTo(0.0);
    }

    @Test
    void aFlatDriftOrOneWithoutLimitOnItsSideHeadsNowhere() {
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.0, POWER_DRIFT_LIMIT_DB)).isNull();
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.01, new double[] {-0.5, Double.NaN})).isNull();
        assertThat(BurnInWatch.hoursToLimit(null, 0.01, POWER_DRIFT_LIMIT_DB)).isNull();
        assertThat(BurnInWatch.hoursToLimit(0.2, 0.01, null)).isNull();
    }
}
