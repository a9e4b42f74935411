package com.cpo.platform.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.events.BurnInChannelStatus;
import com.cpo.events.BurnInStatus;
import com.cpo.platform.live.LiveHub.RackView;
import com.cpo.platform.live.LiveViews.RackUnitView;

class BurnInRackTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    static BurnInChannelStatus channel(int channel, Double driftDb, Double slope, Double hoursToLimit, Double biasPct, double dropDb) {
        return BurnInChannelStatus.newBuilder().setChannel(channel).setReadings(120).setBaselinePowerDbm(3.0).setPowerDriftDb(driftDb)
                .setPowerSlopeDbPerHour(slope).setPowerDriftLowerLimitDb(-0.5).setPowerDriftUpperLimitDb(0.5).setPowerHoursToLimit(hoursToLimit)
                .setBiasDriftPct(biasPct).setMaxDropDb(dropDb).build();
    }

    static BurnInStatus status(String runId, int slot, List<BurnInChannelStatus> channels) {
        return BurnInStatus.newBuilder().setRunId(runId).setSerial("SN-" + runId).setProduct("CPO-OE16").setLot("L1").setStation("BI-01")
                .setSlot(slot).setEventTime(NOW).setHoursInRack(6.5).setLimitSetId("CPO-OE16/BURNIN").setLimitSetVersion(1)
                .setChannels(channels).build();
    }

    @Test
    void aUnitsRowIsItsChannelNearestInHoursToThePowerDriftLimit() {
        RackUnitView row = BurnInRack.unitOf(status("R1", 3, List.of(
                channel(1, -0.40, 0.01, null, 1.5, 0.1),    // far drifted, but heading away from its limits
                channel(2, -0.20, -0.05, 6.0, -2.5, 0.3),   // 6 h to -0.5 dB
                channel(3, 0.10, 0.02, 20.0, 0.5, 0.0))));

        assertThat(row.worstChannel()).isEqualTo(2);
        assertThat(row.powerDriftDb()).isEqualTo(-0.20);
        assertThat(row.powerSlopeDbPerHour()).isEqualTo(-0.05);
        assertThat(row.powerLimitDb()).as("heading down: the lower limit").isEqualTo(-0.5);
        assertThat(row.hoursToLimit()).isEqualTo(6.0);
        assertThat(row.biasDriftPct()).as("the largest bias drift by magnitude").isEqualTo(-2.5);
        assertThat(row.maxDropDb()).isEqualTo(0.3);
        assertThat(row.channels()).isEqualTo(3);
        assertThat(row).extracting(RackUnitView::serial, RackUnitView::product, RackUnitView::lot, RackUnitView::station, RackUnitView::slot)
                .containsExactly("SN-R1", "CPO-OE16", "L1", "BI-01", 3);
        assertThat(row.hoursInRack()).isEqualTo(6.5);
    }

    @Test
    void withoutProjectionsTheRowIsTheChannelThatDriftedMost() {
        RackUnitView row = BurnInRack.unitOf(status("R1", 1, List.of(
                channel(1, 0.05, null, null, null, 0), channel(2, 0.12, null, null, null, 0), channel(3, null, null, null, null, 0))));

        assertThat(row.worstChannel()).isEqualTo(2);
        assertThat(row.hoursToLimit()).isNull();
        assertThat(row.powerLimitDb()).as("no slope yet, drifting up: the upper limit").isEqualTo(0.5);
        assertThat(row.biasDriftPct()).isNull();
    }

    @Test
    void theRackIsSentOnlyWhenItChangedNearestToALimitFirstAndAUnitLeavesWithItsTombstone() {
        BurnInRack rack = new BurnInRack();
        assertThat(rack.takeChange(NOW, "topic", null)).as("nothing yet").isNull();

        rack.put("R1", status("R1", 1, List.of(channel(1, -0.1, -0.01, 40.0, 0.0, 0))));
        rack.put("R2", status("R2", 2, List.of(channel(1, -0.3, -0.05, 4.0, 0.0, 0))));
        rack.put("R3", status("R3", 3, List.of(channel(1, 0.0, 0.0, null, 0.0, 0))));
        RackView view = rack.takeChange(NOW, "cpo.burnin-status.v1", null);
        assertThat(view.units()).extracting(RackUnitView::runId).containsExactly("R2", "R1", "R3");
        assertThat(view.source()).isEqualTo("cpo.burnin-status.v1");
        assertThat(view.error()).isNull();
        assertThat(view.updatedAt()).isEqualTo(NOW);
        assertThat(rack.takeChange(NOW, "t", null)).as("unchanged since").isNull();

        rack.remove("R9");
        assertThat(rack.takeChange(NOW, "t", null)).as("a tombstone of a unit not in the rack changes nothing").isNull();
        rack.remove("R2");
        assertThat(rack.takeChange(NOW, "t", null).units()).extracting(RackUnitView::runId).containsExactly("R1", "R3");

        rack.markChanged();
        assertThat(rack.takeChange(NOW, "t", null)).as("marked: sent even unchanged").isNotNull();

        // a missing topic is said, once, and its end too
        assertThat(rack.takeChange(NOW, "t", "waiting for topic t").error()).isEqualTo("waiting for topic t");
        assertThat(rack.takeChange(NOW, "t", "waiting for topic t")).isNull();
        assertThat(rack.takeChange(NOW, "t", null).error()).isNull();
    }
}
