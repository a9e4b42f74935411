package com.cpo.platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

/** Station events as a station agent publishes them, for tests; ids derive from the run id. */
final class TestStationEvents {

    private TestStationEvents() {
    }

    static String runId(String serial, Operation operation, int attempt) {
        return serial + "-" + operation + "-" + attempt;
    }

    static RunStarted started(String serial, String product, String lot, String station, Operation operation,
            int attempt, Instant start, int channels) {
        String runId = runId(serial, operation, attempt);
        return RunStarted.newBuilder()
                .setEventId("started:" + runId)
                .setEventTime(start)
                .setRunId(runId)
                .setSerial(serial)
                .setProduct(product)
                .setLot(lot)
                .setStation(station)
                .setOperator("op-7")
                .setOperation(operation)
                .setAttempt(attempt)
                .setLimitSetId(product + "/" + operation)
                .setChannelCount(channels)
                .build();
    }

    /** Coupling loss per channel (channel i+1 has {@code lossesDb[i]}), PDL 0.1 dB everywhere. */
    static AlignmentResult alignment(String serial, String station, int attempt, AlignmentStep step, Instant at,
            double... lossesDb) {
        String runId = runId(serial, Operation.ALIGN, attempt);
        List<ChannelAlignment> channels = new ArrayList<>();
        for (int i = 0; i < lossesDb.length; i++) {
            channels.add(ChannelAlignment.newBuilder().setChannel(i + 1).setCouplingLossDb(lossesDb[i]).setPdlDb(0.1).build());
        }
        return AlignmentResult.newBuilder()
                .setEventId("align:" + runId + ":" + step)
                .setEventTime(at)
                .setRunId(runId)
                .setSerial(serial)
                .setStation(station)
                .setStep(step)
                .setChannels(channels)
                .build();
    }

    static BurnInReading reading(String serial, String station, int channel, Instant at, double powerDbm, double biasMa) {
        String runId = runId(serial, Operation.BURNIN, 1);
        return BurnInReading.newBuilder()
                .setEventId("reading:" + runId + ":" + channel + ":" + at.toEpochMilli())
                .setEventTime(at)
                .setRunId(runId)
                .setSerial(serial)
                .setStation(station)
                .setSlot(4)
                .setChannel(channel)
                .setPowerDbm(powerDbm)
                .setBiasCurrentMa(biasMa)
                .setCaseTemperatureC(85.2)
                .build();
    }

    static RunCompleted completed(String serial, String station, Operation operation, int attempt, Instant at) {
        String runId = runId(serial, operation, attempt);
        return RunCompleted.newBuilder()
                .setEventId("completed:" + runId)
                .setEventTime(at)
                .setRunId(runId)
                .setSerial(serial)
                .setStation(station)
                .setOperation(operation)
                .setAborted(false)
                .setMeasurementEvents(1)
                .build();
    }
}
