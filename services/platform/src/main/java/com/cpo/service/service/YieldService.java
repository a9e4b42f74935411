package com.cpo.service.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.domain.Outcome;
import com.cpo.domain.UnitRun;
import com.cpo.domain.YieldFigures;
import com.cpo.service.PlatformConfig;
import com.cpo.service.persistence.FailedCheckEntity;
import com.cpo.service.persistence.RunOutcome;
import com.cpo.service.persistence.UnitEntity;
import com.cpo.service.persistence.VerdictEntity;
import com.cpo.service.persistence.VerdictRepository;
import com.cpo.service.report.YieldReport;
import com.cpo.service.report.YieldReport.FailingRow;
import com.cpo.service.report.YieldReport.LotRow;

/**
 * Yield per product and lot. Every figure comes from {@link YieldFigures#of}, so the definitions (FPY,
 * final yield, retest rate, INCOMPLETE never a pass) are the domain's, not this class's.
 */
@ApplicationScoped
public class YieldService {

    private static final Comparator<LotKey> BY_PRODUCT_THEN_LOT = Comparator.comparing(LotKey::product)
            .thenComparing(LotKey::lot);

    private final VerdictRepository verdicts;
    private final PlatformConfig config;

    YieldService(VerdictRepository verdicts, PlatformConfig config) {
        this.verdicts = verdicts;
        this.config = config;
    }

    /**
     * The operation a request is about: the one named, or {@code cpo.platform.reports.default-operation}.
     *
     * @throws InvalidRequestException when the name is not an operation
     */
    public String operation(String requested) {
        return Operations.parse(requested == null ? config.reports().defaultOperation() : requested).name();
    }

    /** Yield of every lot over all runs of {@code operation}, by product then lot. */
    @Transactional
    public List<LotRow> lots(String operation) {
        Map<LotKey, List<UnitRun>> runsByLot = new TreeMap<>(BY_PRODUCT_THEN_LOT);
        for (RunOutcome run : verdicts.outcomesOf(operation)) {
            runsByLot.computeIfAbsent(new LotKey(run.product(), run.lot()), k -> new ArrayList<>())
                    .add(new UnitRun(unitIdentity(run.product(), run.serial()), run.runStartTime(), run.outcome()));
        }
        List<LotRow> rows = new ArrayList<>();
        runsByLot.forEach((lot, runs) -> rows.add(new LotRow(lot.product(), lot.lot(), YieldFigures.of(runs))));
        return rows;
    }

    /** Everything the yield workbook shows for {@code operation}, read in one transaction. */
    @Transactional
    public YieldReport report(String operation) {
        List<FailingRow> failing = new ArrayList<>();
        for (VerdictEntity run : verdicts.notPassedRunsOf(operation)) {
            failing.addAll(failingRows(run));
        }
        return new YieldReport(operation, Instant.now(), lots(operation), failing);
    }

    private static List<FailingRow> failingRows(VerdictEntity run) {
        UnitEntity unit = run.getUnit();
        if (run.getOutcome() == Outcome.FAIL && !run.getFailedChecks().isEmpty()) {
            List<FailingRow> rows = new ArrayList<>();
            for (FailedCheckEntity check : run.getFailedChecks()) {
                rows.add(new FailingRow(unit.getSerial(), unit.getProduct(), unit.getLot(), run.getRunId(),
                        run.getAttempt(), run.getStation(), run.getOutcome().name(), check.getParameter(),
                        check.getStep(), check.getChannel(), check.getValue(), check.getLowerLimit(),
                        check.getUpperLimit(), check.getUnitOfMeasure()));
            }
            return rows;
        }
        // INCOMPLETE has no checks to list; a FAIL without checks would otherwise vanish from the sheet.
        String why = run.getReason() != null ? run.getReason()
                : run.getOutcome() == Outcome.INCOMPLETE ? "incomplete, no reason given" : "failed, no check recorded";
        return List.of(new FailingRow(unit.getSerial(), unit.getProduct(), unit.getLot(), run.getRunId(),
                run.getAttempt(), run.getStation(), run.getOutcome().name(), why, null, null, null, null, null, null));
    }

    /**
     * A unit is (product, serial). The separator is a control character, so no pair of real product and
     * serial strings can collide.
     */
    private static String unitIdentity(String product, String serial) {
        return product + '\u001F' + serial;
    }

    private record LotKey(String product, String lot) {
    }
}
