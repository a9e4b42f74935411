package com.cpo.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import com.cpo.events.AlignmentResult;
import com.cpo.events.AlignmentStep;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.Operation;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

/**
 * Turns tester files into events. Event ids come from the source so reading the same file again yields
 * the same ids and downstream deduplication holds: {@code station:file:line} for alignment files (the
 * line of the header, the step's first row, the end marker), {@code station:file:@byteOffset} for
 * burn-in log lines (a log is only ever appended to, so a line's offset never changes).
 */
public final class EventMapper {

    private EventMapper() {
    }

    /** The run id of a unit run: station, serial, operation and attempt. */
    public static String runId(String station, String serial, Operation operation, int attempt) {
        return station + "/" + serial + "/" + operation + "/" + attempt;
    }

    private static List<com.cpo.events.ScanPoint> scan(List<AlignmentFile.ScanRow> rows) {
        return rows == null ? null : rows.stream().map(r -> new com.cpo.events.ScanPoint(r.channel(), r.xUm(), r.yUm(), r.powerDbm())).toList();
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
                .setPicWafer(file.genealogy("pic_wafer"))
                .setPicDie(file.genealogy("pic_die"))
                .setFiberArraySerial(file.genealogy("fiber_array"))
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
                    .setScan(scan(file.scans().get(step.getKey())))
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

    /** The last burn-in run id made: consecutive lines of a rack log mostly belong to a few runs. */
    private static final ThreadLocal<String[]> LAST_RUN = ThreadLocal.withInitial(() -> new String[4]);

    private static String burnInRunId(String station, String serial, int attempt) {
        String[] last = LAST_RUN.get();
        String attemptText = Integer.toString(attempt);
        if (serial.equals(last[1]) && station.equals(last[0]) && attemptText.equals(last[2])) {
            return last[3];
        }
        String id = runId(station, serial, Operation.BURNIN, attempt);
        last[0] = station;
        last[1] = serial;
        last[2] = attemptText;
        last[3] = id;
        return id;
    }

    /** The event of one burn-in log record; station is the rack's (the agent's) id. */
    public static SpecificRecord event(String station, Path file, BurnInLog.Record record) {
        String eventId = station + ":" + file.getFileName() + ":@" + record.offset();
        String runId = burnInRunId(station, record.serial(), record.attempt());
        if (record instanceof BurnInLog.Start s) {
            return RunStarted.newBuilder().setEventId(eventId).setEventTime(s.time()).setRunId(runId).setSerial(s.serial())
                    .setProduct(s.product()).setLot(s.lot()).setStation(station).setOperator(s.operator()).setOperation(Operation.BURNIN)
                    .setAttempt(s.attempt()).setLimitSetId(s.limitSetId()).setChannelCount(s.channels()).build();
        }
        if (record instanceof BurnInLog.Reading r) {
            // the all-fields constructor, not the builder: this is the hot path of a rack log (a builder validates and copies)
            return new BurnInReading(eventId, r.time(), runId, r.serial(), station, r.slot(), r.channel(), r.powerDbm(), r.biasCurrentMa(),
                    r.caseTemperatureC());
        }
        BurnInLog.End e = (BurnInLog.End) record;
        return RunCompleted.newBuilder().setEventId(eventId).setEventTime(e.time()).setRunId(runId).setSerial(e.serial()).setStation(station)
                .setOperation(Operation.BURNIN).setAborted(e.aborted()).setMeasurementEvents(e.readings()).build();
    }
}
