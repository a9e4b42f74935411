package com.cpo.agent;

import java.util.Locale;

import com.cpo.events.FailedCheck;
import com.cpo.events.Outcome;
import com.cpo.events.Verdict;

/**
 * The verdict file the agent writes for the station (format 1, documented in
 * {@code station-agents/README.md}): {@code key=value} lines the tester or the line's MES reads to route
 * the unit, named after the run so it sits next to the result file.
 */
public final class VerdictFile {

    public static final String SUFFIX = ".verdict";

    private VerdictFile() {
    }

    /** {@code SERIAL_ATTEMPT.verdict} for alignment (beside {@code SERIAL_ATTEMPT.align}), {@code SERIAL_ATTEMPT.burnin.verdict} for burn-in. */
    public static String fileName(Verdict v) {
        String base = v.getSerial() + "_" + v.getAttempt();
        return switch (v.getOperation()) {
            case ALIGN -> base + SUFFIX;
            default -> base + "." + v.getOperation().name().toLowerCase(Locale.ROOT) + SUFFIX;
        };
    }

    /** Where the unit goes next: the operator's instruction. */
    public static String disposition(Outcome outcome) {
        return switch (outcome) {
            case PASS -> "NEXT_OPERATION";
            case FAIL -> "REWORK";
            case INCOMPLETE -> "RETEST";
        };
    }

    public static String format(Verdict v) {
        StringBuilder out = new StringBuilder(512);
        out.append("# CPO verdict, format 1\n");
        out.append("verdict_id=").append(v.getEventId()).append('\n');
        out.append("run_id=").append(v.getRunId()).append('\n');
        out.append("serial=").append(v.getSerial()).append('\n');
        out.append("product=").append(v.getProduct()).append('\n');
        out.append("lot=").append(v.getLot()).append('\n');
        out.append("station=").append(v.getStation()).append('\n');
        out.append("operation=").append(v.getOperation()).append('\n');
        out.append("attempt=").append(v.getAttempt()).append('\n');
        out.append("run_start=").append(v.getRunStartTime()).append('\n');
        out.append("judged=").append(v.getEventTime()).append('\n');
        out.append("limit_set=").append(v.getLimitSetId()).append(v.getLimitSetVersion() != null ? "@" + v.getLimitSetVersion() : "").append('\n');
        out.append("outcome=").append(v.getOutcome()).append('\n');
        out.append("next=").append(disposition(v.getOutcome())).append('\n');
        if (v.getReason() != null) {
            out.append("reason=").append(oneLine(v.getReason())).append('\n');
        }
        for (FailedCheck c : v.getFailedChecks()) {
            out.append("failed_check=").append(c.getParameter()).append(',')
                    .append(c.getStep() != null ? c.getStep() : "").append(',')
                    .append(c.getChannel() != null ? c.getChannel() : "").append(',')
                    .append(String.format(Locale.ROOT, "%.3f", c.getValue())).append(',')
                    .append(c.getLowerLimit() != null ? String.format(Locale.ROOT, "%.3f", c.getLowerLimit()) : "").append(',')
                    .append(c.getUpperLimit() != null ? String.format(Locale.ROOT, "%.3f", c.getUpperLimit()) : "").append(',')
                    .append(c.getUnitOfMeasure()).append('\n');
        }
        out.append("[end]\n");
        return out.toString();
    }

    private static String oneLine(CharSequence s) {
        return s.toString().replace('\n', ' ').replace('\r', ' ');
    }
}
