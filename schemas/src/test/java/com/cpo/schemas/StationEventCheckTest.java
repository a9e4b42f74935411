package com.cpo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunStarted;
import com.cpo.events.ScanPoint;

/** What an event must be to be judged and stored; the v6 fields (genealogy, scan) included. */
class StationEventCheckTest {

    private static final Instant T = Instant.parse("2026-11-29T06:00:00Z");

    @Test
    void genealogyIsOptionalButWhenReportedItIsAnIdentifier() {
        RunStarted started = started();
        assertThat(StationEventCheck.problem(started)).isNull();
        started.setPicWafer("PW2611-07");
        started.setPicDie("X12Y07");
        started.setFiberArraySerial("FAU-104233");
        assertThat(StationEventCheck.problem(started)).isNull();
        started.setPicDie("X1 Y2/..");
        assertThat(StationEventCheck.problem(started)).contains("picDie");
        started.setPicDie("X12Y07");
        started.setFiberArraySerial("F".repeat(200));
        assertThat(StationEventCheck.problem(started)).contains("fiberArraySerial", "200 characters");
    }

    @Test
    void aScanOfFinitePointsOnRealChannelsWithinItsSizeIsAccepted() {
        AlignmentResult result = result(List.of(new ScanPoint(1, 0.0, 0.5, -1.2)));
        assertThat(StationEventCheck.problem(result)).isNull();
        assertThat(StationEventCheck.problem(result(List.of(new ScanPoint(1, 0.0, Double.NaN, -1.2))))).contains("not finite");
        assertThat(StationEventCheck.problem(result(List.of(new ScanPoint(0, 0.0, 0.0, -1.2))))).contains("channel");
        List<ScanPoint> huge = new ArrayList<>();
        for (int i = 0; i <= StationEventCheck.MAX_SCAN_POINTS; i++) {
            huge.add(new ScanPoint(1, (double) i, 0.0, -1.0));
        }
        assertThat(StationEventCheck.problem(result(huge))).contains("at most " + StationEventCheck.MAX_SCAN_POINTS);
    }

    private static RunStarted started() {
        return RunStarted.newBuilder().setEventId("e1").setEventTime(T).setRunId("AA-01/SN-1/ALIGN/1").setSerial("SN-1")
                .setProduct("CPO-OE16").setLot("L1").setStation("AA-01").setOperator("op").setOperation(Operation.ALIGN).setAttempt(1)
                .setLimitSetId("CPO-OE16/ALIGN").setChannelCount(16).build();
    }

    private static AlignmentResult result(List<ScanPoint> scan) {
        return AlignmentResult.newBuilder().setEventId("e2").setEventTime(T).setRunId("AA-01/SN-1/ALIGN/1").setSerial("SN-1").setStation("AA-01")
                .setStep(AlignmentStep.PRE_CURE).setChannels(List.of(new ChannelAlignment(1, 1.2, null))).setScan(scan).build();
    }
}
