package com.cpo.service.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.service.persistence.FailedCheckEntity;
import com.cpo.service.persistence.UnitEntity;
import com.cpo.service.persistence.VerdictEntity;
import com.cpo.service.persistence.VerdictRepository;

/** Answers questions about one unit. */
@ApplicationScoped
public class UnitQueryService {

    private final VerdictRepository verdicts;

    UnitQueryService(VerdictRepository verdicts) {
        this.verdicts = verdicts;
    }

    /**
     * The unit with this serial and all its runs.
     *
     * @throws UnitNotFoundException when no verdict names the serial
     */
    @Transactional
    public UnitView unit(String serial) {
        UnitEntity unit = verdicts.findUnit(serial).orElseThrow(() -> new UnitNotFoundException(serial));
        return new UnitView(unit.getSerial(), unit.getProduct(), unit.getLot(),
                verdicts.runsOf(unit).stream().map(UnitQueryService::run).toList());
    }

    private static UnitView.Run run(VerdictEntity v) {
        return new UnitView.Run(v.getRunId(), v.getOperation(), v.getAttempt(), v.getStation(), v.getRunStartTime(),
                v.getOutcome().name(), v.getLimitSetId(), v.getLimitSetVersion(), v.getReason(),
                v.getFailedChecks().stream().map(UnitQueryService::check).toList());
    }

    private static UnitView.FailedCheck check(FailedCheckEntity c) {
        return new UnitView.FailedCheck(c.getParameter(), c.getStep(), c.getChannel(), c.getValue(),
                c.getLowerLimit(), c.getUpperLimit(), c.getUnitOfMeasure());
    }
}
