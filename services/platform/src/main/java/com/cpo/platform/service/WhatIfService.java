package com.cpo.platform.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.cpo.domain.PlantCalendar;
import com.cpo.domain.WhatIf;
import com.cpo.platform.persistence.StoredRuns;
import com.cpo.platform.report.WhatIfWorkbook;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a limit-set version would have done: the stored ALIGN runs of a period judged again with it and with the version
 * it would replace, by the domain's {@link WhatIf} (the live judge's rules). Always a report job: progress in runs judged of
 * the runs counted when it was accepted; when DONE the job has the figures as JSON ({@link Result}) and the workbook.
 */
@ApplicationScoped
public class WhatIfService {

    /** Flipped runs listed in the JSON result; the workbook lists every one. */
    public static final int LISTED_FLIPS = 1_000;
    /** What-if files are named so; a report job without it is not a what-if. */
    static final String FILE_PREFIX = "what-if-";
    /** Connections reading runs at once (each a database backend): the reading, not the judging, is the slower side. */
    static final int READERS = 2;
    /** Threads judging at once: the rules are the other half of the work (the figures merge at the end). */
    static final int JUDGES = 2;
    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A row of the figures; NaN as null (JSON has no NaN). */
    public record Row(String station, Integer channel, int units, Double fpyInForce, Double fpyDraft, Double finalYieldInForce,
            Double finalYieldDraft, long values, Double meanDb, Double sigmaDb, Double uslInForceDb, Double uslDraftDb, Double cpkInForce,
            Double cpkDraft) {

        static Row of(WhatIf.Row r) {
            return new Row(r.station(), r.channel(), r.units(), n(r.fpyInForce()), n(r.fpyDraft()), n(r.finalYieldInForce()),
                    n(r.finalYieldDraft()), r.values(), n(r.meanDb()), n(r.sigmaDb()), r.uslInForceDb(), r.uslDraftDb(), n(r.cpkInForce()),
                    n(r.cpkDraft()));
        }

        private static Double n(double v) {
            return Double.isNaN(v) ? null : v;
        }
    }

    /** A flipped run as the result lists it; {@code checks} as the workbook writes them. */
    public record Flip(String serial, String station, Instant start, int attempt, String inForce, String draft, String checks) {
    }

    private static final java.util.Comparator<Flip> FLIP_ORDER = java.util.Comparator.comparing(Flip::serial).thenComparing(Flip::start)
            .thenComparingInt(Flip::attempt);

    /**
     * The figures of a finished what-if.
     *
     * @param inForceVersion the version the candidate would replace (null: none was in force)
     * @param flipsListed the first {@value #LISTED_FLIPS} flips by serial and start ({@code flips} counts them all; the workbook lists each)
     */
    public record Result(String limitSetId, int version, Integer inForceVersion, Instant from, Instant to, List<String> stations,
            long runs, long units, long flips, long passToFail, long failToPass, List<Row> rows, List<Flip> flipsListed) {
    }

    /** A what-if job as polled: its state and progress, and its result when DONE. */
    public record Job(String id, ReportJobs.State state, Instant createdAt, Instant finishedAt, long runsTotal, long runsJudged,
            double progress, String error, String fileName, Result result) {
    }

    private final LimitService limits;
    private final StoredRuns stored;
    private final ReportJobs jobs;
    private final PlantCalendar calendar;
    private final ObjectMapper json;
    private final com.cpo.domain.Products products;

    WhatIfService(LimitService limits, StoredRuns stored, ReportJobs jobs, PlantCalendar calendar, ObjectMapper json,
            com.cpo.domain.Products products) {
        this.products = products;
        this.limits = limits;
        this.stored = stored;
        this.jobs = jobs;
        this.calendar = calendar;
        this.json = json;
    }

    /**
     * Accepts a what-if of a version of {@code product}/ALIGN over the runs started in [from, to) at {@code stations} (empty:
     * every station).
     */
    public Job start(String product, String operation, int version, Instant from, Instant to, List<String> stations) {
        if (Operations.parse(operation) != com.cpo.events.Operation.ALIGN) {
            throw new InvalidRequestException("operation", "What-if judges alignment runs (ALIGN); burn-in limits cannot be judged again "
                    + "from stored readings yet.");
        }
        if (from == null || to == null) {
            throw new InvalidRequestException(from == null ? "from" : "to", "A what-if needs a period: 'from' and 'to' (ISO-8601 instants).");
        }
        if (!to.isAfter(from)) {
            throw new InvalidRequestException("to", "'to' (" + to + ") must be after 'from' (" + from + ").");
        }
        LimitService.Candidate candidate = limits.candidate(product, "ALIGN", version);
        List<String> scope = stations == null ? List.of() : stations.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).distinct().toList();
        StoredRuns.Scope counted;
        try {
            counted = stored.count(candidate.candidate().id(), from, to, scope);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the runs of " + candidate.candidate().id() + ": " + e.getMessage(), e);
        }
        String fileName = (FILE_PREFIX + product + "-v" + version + "-" + FILE_STAMP.format(Instant.now()) + ".xlsx")
                .replaceAll("[^A-Za-z0-9._-]", "_"); // a product name is the caller's text, and goes into a header
        // the product's channels where the plant's configuration names them, else the most any run in the period has
        int channels = products.channelsOf(product) != null ? products.channelsOf(product) : Math.max(1, counted.channels());
        ReportJobs.JobView job = jobs.submit(fileName, counted.runs(), null, (out, progress) -> {
            Result result = run(candidate, channels, from, to, scope, progress, out);
            return json.writeValueAsString(result);
        });
        return view(job);
    }

    private Result run(LimitService.Candidate candidate, int channels, Instant from, Instant to, List<String> stations, java.util.function.LongConsumer progress,
            java.io.OutputStream out) throws IOException {
        // judged on JUDGES threads, each with its own figures (merged at the end) and a shared, locked list of flips
        List<WhatIf> parts = new ArrayList<>();
        for (int i = 0; i < JUDGES; i++) {
            parts.add(new WhatIf(candidate.replaced(), candidate.candidate(), channels));
        }
        java.util.PriorityQueue<Flip> listed = new java.util.PriorityQueue<>(FLIP_ORDER.reversed()); // the last of the first 1,000 on top
        AtomicLong units = new AtomicLong();
        AtomicLong judged = new AtomicLong();
        try (WhatIfWorkbook workbook = new WhatIfWorkbook(calendar.zone())) {
            try {
                stored.forEachUnitReadAhead(candidate.candidate().id(), from, to, stations, READERS, JUDGES, i -> (serial, runs) -> {
                    List<WhatIf.Flip> flips = parts.get(i).unit(serial, runs);
                    units.incrementAndGet();
                    if (!flips.isEmpty()) {
                        synchronized (workbook) {
                            workbook.flips(flips);
                            for (WhatIf.Flip f : flips) {
                                // the first LISTED_FLIPS by serial and start, whatever order the threads found them in
                                listed.add(new Flip(f.serial(), f.station(), f.start(), f.attempt(), f.inForce().name(), f.draft().name(),
                                        WhatIfWorkbook.describe(f.checks())));
                                if (listed.size() > LISTED_FLIPS) {
                                    listed.poll();
                                }
                            }
                        }
                    }
                    long done = judged.addAndGet(runs.size());
                    if (i == 0) {
                        progress.accept(done); // one thread reports: the count never goes back
                    }
                });
                progress.accept(judged.get());
            } catch (SQLException e) {
                throw new IOException("cannot read the stored runs of " + candidate.candidate().id() + ": " + e.getMessage(), e);
            }
            WhatIf whatIf = parts.get(0);
            parts.subList(1, parts.size()).forEach(whatIf::merge);
            List<Flip> firstFlips = new ArrayList<>(listed);
            firstFlips.sort(FLIP_ORDER);
            List<WhatIf.Row> rows = whatIf.rows();
            Integer base = candidate.replaced() == null ? null : candidate.replaced().version();
            String title = String.format(Locale.ROOT, "What-if: %s v%d (%s) against %s; runs started %s to %s (%s), stations %s: "
                    + "%,d runs of %,d units judged again, %,d flip (%,d pass → fail, %,d fail → pass)", candidate.candidate().id(),
                    candidate.candidate().version(), candidate.status(), base == null ? "no version in force" : "v" + base + " in force",
                    calendar.zone().getId().equals("UTC") ? from : from.atZone(calendar.zone()).toLocalDateTime(),
                    calendar.zone().getId().equals("UTC") ? to : to.atZone(calendar.zone()).toLocalDateTime(), calendar.zone().getId(),
                    stations.isEmpty() ? "all" : String.join(", ", stations), whatIf.runs(), units.get(), whatIf.flips(), whatIf.passToFail(),
                    whatIf.failToPass());
            workbook.write(title, rows, definitions(), out);
            return new Result(candidate.candidate().id(), candidate.candidate().version(), base, from, to, stations, whatIf.runs(), units.get(),
                    whatIf.flips(), whatIf.passToFail(), whatIf.failToPass(), rows.stream().map(Row::of).toList(), firstFlips);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<String> definitions() {
        return List.of("Every stored ALIGN run with its RunCompleted is judged twice by the live judge's rules (domain AlignmentRules): "
                + "with the version in force now (the one the candidate would replace) and with the candidate.",
                "FPY: share of units whose first run (at the station, or at any station on 'all stations') passed; final yield: whose last run "
                + "passed. For a channel, a run passes when none of its checks on that channel failed and it was not INCOMPLETE.",
                "Cpk (Ppk: overall σ) of coupling loss at " + WhatIf.CAPABILITY_STEP + " of every judged run, against the upper limit that "
                + "binds the channel in each version.",
                "A run flips when its outcome differs; its checks are those failed under the version it fails with.");
    }

    /** A job as polled, with its result once DONE; empty when there is no such job. */
    public java.util.Optional<Job> find(String id) {
        return jobs.find(id).filter(j -> j.fileName().startsWith(FILE_PREFIX)).map(this::view);
    }

    private Job view(ReportJobs.JobView j) {
        Result result = null;
        if (j.state() == ReportJobs.State.DONE) {
            String text = jobs.result(j.id()).orElse(null);
            if (text != null) {
                try {
                    result = json.readValue(text, Result.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the result of job " + j.id() + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        return new Job(j.id(), j.state(), j.createdAt(), j.finishedAt(), j.rawRowsTotal(), j.rawRowsWritten(), j.progress(), j.error(),
                j.fileName(), result);
    }
}
