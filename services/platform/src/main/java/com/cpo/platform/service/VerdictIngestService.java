package com.cpo.platform.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Outcome;
import com.cpo.events.FailedCheck;
import com.cpo.events.Verdict;
import com.cpo.platform.persistence.FailedCheckRow;
import com.cpo.platform.persistence.VerdictRepository;
import com.cpo.platform.persistence.VerdictRow;
import com.cpo.platform.persistence.YieldRepository;

/** Stores verdict events; storing the same event twice changes nothing. */
@ApplicationScoped
public class VerdictIngestService {

    /** What storing a verdict did. */
    public enum Result {
        /** A new verdict was stored. */
        STORED,
        /** A verdict with this event id was already stored: a redelivery, left as it was. */
        DUPLICATE
    }

    private final VerdictRepository verdicts;
    private final YieldRepository yields;
    private final BurnInAlarms alarms;

    VerdictIngestService(VerdictRepository verdicts, YieldRepository yields, BurnInAlarms alarms) {
        this.verdicts = verdicts;
        this.yields = yields;
        this.alarms = alarms;
    }

    /**
     * Stores the verdict, its unit (if new) and its failed checks, recomputes what the unit adds to yield and, for a
     * burn-in run, closes its alarms (the unit left the rack), in one transaction.
     */
    @Transactional
    public Result store(Verdict verdict) {
        long unitId = verdicts.upsertUnit(verdict.getProduct(), verdict.getSerial(), verdict.getLot());
        Optional<Long> verdictId = verdicts.insertIfAbsent(unitId, new VerdictRow(verdict.getEventId(),
                verdict.getRunId(), verdict.getOperation().name(), verdict.getAttempt(), verdict.getStation(),
                verdict.getRunStartTime(), verdict.getEventTime(), Outcome.valueOf(verdict.getOutcome().name()),
                verdict.getLimitSetId(), verdict.getLimitSetVersion(), verdict.getReason()));
        if (verdictId.isEmpty()) {
            return Result.DUPLICATE;
        }
        for (FailedCheck check : verdict.getFailedChecks()) {
            verdicts.addFailedCheck(verdictId.get(), new FailedCheckRow(check.getParameter(),
                    check.getStep() == null ? null : check.getStep().name(), check.getChannel(), check.getValue(),
                    check.getLowerLimit(), check.getUpperLimit(), check.getUnitOfMeasure()));
        }
        yields.refresh(List.of(unitId));
        if (verdict.getOperation() == com.cpo.events.Operation.BURNIN) {
            try {
                alarms.verdictStored(verdict.getRunId(), verdict.getOutcome().name(), verdict.getEventTime());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot close the burn-in alarms of run " + verdict.getRunId(), e);
            }
        }
        return Result.STORED;
    }
}
