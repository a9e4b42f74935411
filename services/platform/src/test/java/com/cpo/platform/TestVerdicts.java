package com.cpo.platform;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.cpo.events.AlignmentStep;
import com.cpo.events.FailedCheck;
import com.cpo.events.Operation;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;

/** Verdict events as a station's judge would publish them, for tests. */
final class TestVerdicts {

    static final String PRODUCT = "OE-1600-DR8";
    static final String LIMIT_SET = "align-oe1600";

    private TestVerdicts() {
    }

    /** A serial no other test of this JVM uses, since the database lives as long as the JVM. */
    static String uniqueSerial(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The verdict of any run; run and event ids derive from serial, operation and attempt as TestStationEvents' do. */
    static Verdict verdict(String serial, String product, String lot, String station, Operation operation, int attempt,
            Outcome outcome, Instant runStart, Integer limitSetVersion, String reason, List<FailedCheck> failedChecks) {
        String runId = serial + "-" + operation + "-" + attempt;
        return Verdict.newBuilder()
                .setEventId("verdict:" + runId)
                .setEventTime(runStart.plusSeconds(90))
                .setRunId(runId)
                .setSerial(serial)
                .setProduct(product)
                .setLot(lot)
                .setStation(station)
                .setOperation(operation)
                .setAttempt(attempt)
                .setRunStartTime(runStart)
                .setOutcome(outcome)
                .setLimitSetId(product + "/" + operation)
                .setLimitSetVersion(limitSetVersion)
                .setReason(reason)
                .setFailedChecks(failedChecks)
                .build();
    }

    /** The verdict of an ALIGN run; its event id derives from the run id, as the judge's does. */
    static Verdict align(String serial, String lot, int attempt, Outcome outcome, Instant runStart,
            List<FailedCheck> failedChecks, String reason) {
        String runId = serial + "-ALIGN-" + attempt;
        return Verdict.newBuilder()
                .setEventId("verdict:" + runId)
                .setEventTime(runStart.plusSeconds(90))
                .setRunId(runId)
                .setSerial(serial)
                .setProduct(PRODUCT)
                .setLot(lot)
                .setStation("ALN-0" + attempt)
                .setOperation(Operation.ALIGN)
                .setAttempt(attempt)
                .setRunStartTime(runStart)
                .setOutcome(outcome)
                .setLimitSetId(LIMIT_SET)
                .setLimitSetVersion(outcome == Outcome.INCOMPLETE ? null : 3)
                .setReason(reason)
                .setFailedChecks(failedChecks)
                .build();
    }

    static Verdict pass(String serial, String lot, int attempt, Instant runStart) {
        return align(serial, lot, attempt, Outcome.PASS, runStart, List.of(), null);
    }

    static Verdict fail(String serial, String lot, int attempt, Instant runStart, FailedCheck... checks) {
        return align(serial, lot, attempt, Outcome.FAIL, runStart, List.of(checks), null);
    }

    static Verdict incomplete(String serial, String lot, int attempt, Instant runStart, String reason) {
        return align(serial, lot, attempt, Outcome.INCOMPLETE, runStart, List.of(), reason);
    }

    /** Coupling loss after thermal cure over an upper limit on one channel. */
    static FailedCheck couplingLoss(int channel, double lossDb, double upperLimitDb) {
        return FailedCheck.newBuilder(couplingLoss(channel, lossDb)).setUpperLimit(upperLimitDb).build();
    }

    /** Coupling loss after thermal cure over its upper limit of 2.0 dB on one channel. */
    static FailedCheck couplingLoss(int channel, double lossDb) {
        return FailedCheck.newBuilder()
                .setParameter("coupling_loss")
                .setStep(AlignmentStep.POST_THERMAL)
                .setChannel(channel)
                .setValue(lossDb)
                .setLowerLimit(null)
                .setUpperLimit(2.0)
                .setUnitOfMeasure("dB")
                .build();
    }
}
