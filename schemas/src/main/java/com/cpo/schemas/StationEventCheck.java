package com.cpo.schemas;

import org.apache.avro.specific.SpecificRecord;

import com.cpo.domain.Channels;
import com.cpo.domain.Identifiers;
import com.cpo.events.AlignmentResult;
import com.cpo.events.BurnInReading;
import com.cpo.events.ChannelAlignment;
import com.cpo.events.RunCompleted;
import com.cpo.events.RunStarted;

/**
 * What makes a decodable station event unfit to judge or store, checked before it touches any state. The analytics
 * app dead-letters such an event with this reason (it owns the station-events topic's dead letters); the service
 * skips it. The identifier and channel rules are the domain's, the same the station agent applies to tester files.
 */
public final class StationEventCheck {

    /** Longest run id accepted: it is part of store keys. */
    public static final int MAX_RUN_ID_LENGTH = 256;

    private StationEventCheck() {
    }

    /** Why {@code event} cannot be judged, or null when it can. */
    public static String problem(SpecificRecord event) {
        if (event instanceof RunStarted e) {
            return first(runId(e.getRunId()), Identifiers.problem("serial", e.getSerial()), Identifiers.problem("station", e.getStation()),
                    Identifiers.problem("product", e.getProduct()), Identifiers.problem("lot", e.getLot()),
                    e.getAttempt() < 1 ? "attempt " + e.getAttempt() + " is below 1" : null,
                    Channels.countProblem(e.getChannelCount()),
                    e.getLimitSetId() == null || e.getLimitSetId().isBlank() ? "limitSetId is missing" : null,
                    e.getPicWafer() == null ? null : Identifiers.problem("picWafer", e.getPicWafer()),
                    e.getPicDie() == null ? null : Identifiers.problem("picDie", e.getPicDie()),
                    e.getFiberArraySerial() == null ? null : Identifiers.problem("fiberArraySerial", e.getFiberArraySerial()));
        } else if (event instanceof AlignmentResult e) {
            String problem = first(runId(e.getRunId()), Identifiers.problem("serial", e.getSerial()),
                    Identifiers.problem("station", e.getStation()), e.getChannels().isEmpty() ? "no channels" : null);
            for (ChannelAlignment c : e.getChannels()) {
                if (problem != null) {
                    break;
                }
                problem = first(Channels.channelProblem(c.getChannel(), Channels.MAX),
                        Double.isFinite(c.getCouplingLossDb()) ? null : "coupling loss of channel " + c.getChannel() + " is not a finite number",
                        c.getPdlDb() == null || Double.isFinite(c.getPdlDb()) ? null : "PDL of channel " + c.getChannel() + " is not a finite number");
            }
            return problem != null ? problem : scanProblem(e.getScan());
        } else if (event instanceof BurnInReading e) {
            return first(runId(e.getRunId()), Identifiers.problem("serial", e.getSerial()), Identifiers.problem("station", e.getStation()),
                    Channels.channelProblem(e.getChannel(), Channels.MAX),
                    e.getSlot() < 0 ? "slot " + e.getSlot() + " is negative" : null,
                    Double.isFinite(e.getPowerDbm()) ? null : "power of channel " + e.getChannel() + " is not a finite number",
                    Double.isFinite(e.getBiasCurrentMa()) && e.getBiasCurrentMa() > 0 ? null
                            : "bias current of channel " + e.getChannel() + " is " + e.getBiasCurrentMa() + " mA; it must be a positive number");
        } else if (event instanceof RunCompleted e) {
            return first(runId(e.getRunId()), Identifiers.problem("serial", e.getSerial()), Identifiers.problem("station", e.getStation()),
                    e.getMeasurementEvents() < 0 ? "measurementEvents " + e.getMeasurementEvents() + " is negative" : null);
        }
        return null;
    }

    /** Most points one step's scan may have (the agent refuses a larger one). */
    public static final int MAX_SCAN_POINTS = 20_000;

    private static String scanProblem(java.util.List<com.cpo.events.ScanPoint> scan) {
        if (scan == null) {
            return null;
        }
        if (scan.size() > MAX_SCAN_POINTS) {
            return "the scan has " + scan.size() + " points; at most " + MAX_SCAN_POINTS;
        }
        for (com.cpo.events.ScanPoint p : scan) {
            String problem = first(Channels.channelProblem(p.getChannel(), Channels.MAX),
                    Double.isFinite(p.getXUm()) && Double.isFinite(p.getYUm()) && Double.isFinite(p.getPowerDbm()) ? null
                            : "a scan point of channel " + p.getChannel() + " is not finite (x, y in µm, power in dBm)");
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String runId(String runId) {
        if (runId == null || runId.isBlank()) {
            return "runId is missing";
        }
        return runId.length() > MAX_RUN_ID_LENGTH ? "runId is " + runId.length() + " characters long; at most " + MAX_RUN_ID_LENGTH : null;
    }

    private static String first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
