package com.cpo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YieldAlarmRuleTest {

    private static final YieldAlarmRule.Target TARGET = new YieldAlarmRule.Target("CPO-OE16", "ALIGN", 0.90, 20);

    private static YieldFigures fpy(int units, int firstPass) {
        return new YieldFigures(units, firstPass, firstPass, units, firstPass);
    }

    @Test
    void aGroupBelowTheTargetAlarmsOnlyWithTheMinimumSample() {
        assertThat(YieldAlarmRule.alarmed(fpy(19, 10), TARGET, false)).as("19 units say too little").isFalse();
        assertThat(YieldAlarmRule.alarmed(fpy(20, 17), TARGET, false)).as("85 %% of 20").isTrue();
        assertThat(YieldAlarmRule.alarmed(fpy(20, 18), TARGET, false)).as("90 %% is the target").isFalse();
    }

    @Test
    void anOpenAlarmHoldsUntilTheFpyIsBackAtTheTarget() {
        assertThat(YieldAlarmRule.alarmed(fpy(25, 22), TARGET, true)).isTrue();
        assertThat(YieldAlarmRule.alarmed(fpy(30, 27), TARGET, true)).isFalse();
    }

    @Test
    void theMessageNamesTheGroupTheFiguresAndTheTarget() {
        assertThat(YieldAlarmRule.message("lot", "L1", fpy(20, 17), TARGET))
                .isEqualTo("lot L1 of CPO-OE16 (ALIGN): FPY 85.0 % of 20 units, below the target of 90.0 %");
    }

    @Test
    void aTargetIsAFractionWithAPositiveSample() {
        assertThatThrownBy(() -> new YieldAlarmRule.Target("P", "ALIGN", 90, 20)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> new YieldAlarmRule.Target("P", "ALIGN", 0.9, 0)).hasMessageContaining("at least 1 unit");
    }
}
