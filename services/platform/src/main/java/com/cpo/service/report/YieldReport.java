package com.cpo.service.report;

import java.time.Instant;
import java.util.List;

import com.cpo.domain.YieldFigures;

/**
 * What the yield workbook shows for one operation.
 *
 * @param operation the operation the figures are about, e.g. ALIGN
 * @param generatedAt when the data was read
 * @param lots one row per product and lot, by product then lot
 * @param failing one row per failed check of every FAIL run, and one per INCOMPLETE run
 */
public record YieldReport(String operation, Instant generatedAt, List<LotRow> lots, List<FailingRow> failing) {

    /** Yield of one lot of one product, over every run of the operation on its units. */
    public record LotRow(String product, String lot, YieldFigures figures) {
    }

    /**
     * A failed check of a FAIL run, or an INCOMPLETE run (then {@code parameter} holds the reason and the
     * check columns are null).
     *
     * @param value the failed value, in {@code unitOfMeasure}
     */
    public record FailingRow(String serial, String product, String lot, String runId, int attempt, String station,
            String outcome, String parameter, String step, Integer channel, Double value, Double lowerLimit,
            Double upperLimit, String unitOfMeasure) {
    }
}
