package com.cpo.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

/**
 * Turns a tester file into events. Event ids come from the source — station, file name, line — so reading
 * the same file again yields the same ids and downstream deduplication holds.
 */
public final class EventMapper {

    private EventMapper() {
    }

    /** The run id of a unit run: station, serial, operation and attempt. */
    public static String runId(String station, String serial, Operation operation, int attempt) {
        return station + "/" + serial + "/" + operation + "/" + attempt;
    }

    /** The events of one alignment file, in the order they must be published. */
    public static List<SpecificRecord> events(AlignmentFile file) {
        Map<String, String> h = file.header();
        String station = h.get("station");
        String source = station + ":" + file.path().getFileName();
        String runId = runId(station, file.serial(), Operation.ALIGN, file.attempt());
        List<SpecificRecord> events = new ArrayList<>();
        events.add(RunStarted.newBuilder()
                .setEventId(source + ":" + file.headerLine())
                .setEventTime(file.start())
                .setRunId(runId)
                .setSerial(file.serial())
                .setProduct(h.get("product"))
                .setLot(h.get("lot"))
                .setStation(station)
                .setOperator(h.get("operator"))
                .setOperation(Operation.ALIGN)
                .setAttempt(file.attempt())
                .setLimitSetId(h.get("limit_set"))
                .setChannelCount(file.channels())
                .build());
        Instant measured = file.end();
        for (Map.Entry<AlignmentStep, List<AlignmentFile.Row>> step : file.steps().entrySet()) {
            List<ChannelAlignment> channels = step.getValue().stream()
                    .sorted(java.util.Comparator.comparingInt(AlignmentFile.Row::channel))
                    .map(r -> new ChannelAlignment(r.channel(), r.couplingLossDb(), r.pdlDb()))
                    .toList();
            events.add(AlignmentResult.newBuilder()
                    .setEventId(source + ":" + file.stepLines().get(step.getKey()))
                    .setEventTime(measured)
                    .setRunId(runId)
                    .setSerial(file.serial())
                    .setStation(station)
                    .setStep(step.getKey())
                    .setChannels(channels)
                    .build());
        }
        events.add(RunCompleted.newBuilder()
                .setEventId(source + ":" + file.endLine())
                .setEventTime(file.end())
                .setRunId(runId)
                .setSerial(file.serial())
                .setStation(station)
                .setOperation(Operation.ALIGN)
                .setAborted(file.aborted())
                .setMeasurementEvents(file.steps().size())
                .build());
        return events;
    }
}
