package com.cpo.platform.service;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.cpo.domain.ChannelValue;
import com.cpo.domain.Limit;
import com.cpo.domain.LimitSet;
import com.cpo.domain.Parameters;
import com.cpo.domain.PlantCalendar;
import com.cpo.platform.persistence.StoredRuns;
import com.cpo.platform.report.stdf.StdfWriter;

/**
 * The runs of the report filters as STDF V4, the file a fab's yield system reads: one part (PIR, PTRs, PRR) per run, in
 * serial and start order, streamed as the rows are read.
 *
 * <p>Tests: a PTR per measured parameter × step × channel of an alignment run, with the limit that bound it in the version
 * that judged the run ({@link LimitSet#binding}); its test number is stable: {@code parameter × 100000 + step × 1000 +
 * channel}, parameter 1 = coupling_loss, 2 = pdl; step 1 = PRE_CURE, 2 = POST_UV, 3 = POST_THERMAL (e.g. 103005: coupling
 * loss after thermal cure, channel 5). Burn-in runs are parts with their bins and no PTRs (their judged drifts are not
 * stored per reading window). A run with attempt &gt; 1 is a retest (PRR PART_FLG bit 0: it supersedes the earlier part of
 * the same PART_ID, the serial); a run the tester aborted ended abnormally (bit 2); a run not judged yet has no pass/fail
 * indication (bit 4). Runs still in progress (no RunCompleted and no verdict) are left out. Bins: {@link #hardBin},
 * {@link #softBin}.
 */
@ApplicationScoped
public class StdfExport {

    /** Hard bins: 1 pass, 2 fail, 3 incomplete, 4 not judged yet. */
    public static final Map<Integer, String> HARD_BINS = Map.of(1, "PASS", 2, "FAIL", 3, "INCOMPLETE", 4, "NOT JUDGED");
    /** Soft bins of a failure, by the parameter of the run's first failed check; 19 another parameter. */
    public static final Map<String, Integer> FAIL_SOFT_BINS = Map.of(Parameters.COUPLING_LOSS, 10, Parameters.PDL, 11, Parameters.CURE_SHIFT, 12,
            Parameters.CHANNEL_SPREAD, 13, Parameters.POWER_DRIFT, 14, Parameters.BIAS_DRIFT, 15, Parameters.SUDDEN_DROP, 16);
    static final List<String> STEPS = List.of("PRE_CURE", "POST_UV", "POST_THERMAL");

    private final StoredRuns stored;
    private final LimitService limits;
    private final PlantCalendar calendar;

    StdfExport(StoredRuns stored, LimitService limits, PlantCalendar calendar) {
        this.stored = stored;
        this.limits = limits;
        this.calendar = calendar;
    }

    /** Writes the file to {@code out} (left open); returns how many parts it has. */
    public long write(ReportFilter filter, String version, OutputStream out) throws IOException {
        Map<String, LimitSet> released = new HashMap<>();
        for (LimitSet set : limits.released()) {
            released.put(set.id() + "#" + set.version(), set);
        }
        StdfWriter stdf = new StdfWriter(out);
        Instant now = Instant.now();
        String operation = filter.operation();
        stdf.begin(new StdfWriter.Lot(filter.from() == null ? now : filter.from(), now, 1, filter.lot() == null ? "ALL" : filter.lot(),
                filter.product() == null ? "ALL" : filter.product(), "cpo-platform", "CPO-" + operation, "cpo-" + operation.toLowerCase(java.util.Locale.ROOT),
                version, "", "cpo-platform", version, operation, calendar.zone().getId(), filter.station() == null ? "" : filter.station(),
                filter.product() == null ? "" : filter.product() + "/" + operation, "", filter.describe()));
        try {
            stored.forEachRun(operation, filter.product(), filter.lot(), filter.station(), filter.from(), filter.to(), run -> {
                LimitSet set = run.limitSetVersion() == null ? null : released.get(run.limitSetId() + "#" + run.limitSetVersion());
                List<StdfWriter.Result> results = new ArrayList<>(run.run().values().size() * 2);
                for (ChannelValue v : run.run().values()) {
                    int step = STEPS.indexOf(v.step()) + 1;
                    results.add(result(set, Parameters.COUPLING_LOSS, 1, step, v, v.couplingLossDb()));
                    if (v.pdlDb() != null) {
                        results.add(result(set, Parameters.PDL, 2, step, v, v.pdlDb()));
                    }
                }
                results.sort(java.util.Comparator.comparingLong(StdfWriter.Result::testNumber));
                int hard = hardBin(run.outcome());
                int soft = softBin(run.outcome(), run.failedParameters());
                long ms = run.completed() == null ? 0 : Math.max(0, Duration.between(run.start(), run.completed()).toMillis());
                // not judged yet: no pass/fail indication; abnormal end: the tester aborted the run
                stdf.part(new StdfWriter.Part(run.serial(), run.station() + " attempt " + run.attempt() + " lot " + run.lot(), run.attempt() > 1,
                        hard == 4 ? null : hard != 1, run.run().aborted(), hard, HARD_BINS.get(hard), soft, softBinName(soft), ms, results));
            });
        } catch (SQLException e) {
            throw new IOException("cannot read the runs for the STDF file (" + filter.describe() + "): " + e.getMessage(), e);
        }
        stdf.finish(Instant.now());
        return stdf.partCount();
    }

    private static StdfWriter.Result result(LimitSet set, String parameter, int code, int step, ChannelValue v, double value) {
        Limit limit = set == null ? null : set.binding(parameter, v.channel()).orElse(null);
        long number = code * 100_000L + step * 1_000L + v.channel();
        return new StdfWriter.Result(number, parameter, v.step() + " ch" + v.channel(), value, limit == null ? null : limit.lower(),
                limit == null ? null : limit.upper(), "dB", limit != null && !limit.passes(value));
    }

    /** 1 PASS, 2 FAIL, 3 INCOMPLETE, 4 not judged (no verdict yet). */
    public static int hardBin(String outcome) {
        if (outcome == null) {
            return 4;
        }
        return switch (outcome) {
            case "PASS" -> 1;
            case "FAIL" -> 2;
            default -> 3;
        };
    }

    /** 1 PASS; a failure by its first failed check's parameter ({@link #FAIL_SOFT_BINS}, else 19); 30 INCOMPLETE; 40 not judged. */
    public static int softBin(String outcome, List<String> failedParameters) {
        return switch (hardBin(outcome)) {
            case 1 -> 1;
            case 2 -> failedParameters.isEmpty() ? 19 : FAIL_SOFT_BINS.getOrDefault(failedParameters.get(0), 19);
            case 3 -> 30;
            default -> 40;
        };
    }

    static String softBinName(int bin) {
        if (bin == 1) {
            return "PASS";
        }
        for (Map.Entry<String, Integer> e : FAIL_SOFT_BINS.entrySet()) {
            if (e.getValue() == bin) {
                return "FAIL " + e.getKey();
            }
        }
        return bin == 19 ? "FAIL other" : bin == 30 ? "INCOMPLETE" : "NOT JUDGED";
    }
}
