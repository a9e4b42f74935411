package com.cpo.platform.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.cpo.domain.PlantCalendar;
import com.cpo.domain.ReportCadence;
import com.cpo.platform.report.YieldReport;

import io.quarkus.scheduler.Scheduled;

/**
 * Reports made on a schedule (V13 {@code report_schedules}): daily or weekly at a time of the plant's clock
 * ({@link ReportCadence}, which also says the period a run covers), each run a {@link ReportJobs} job whose file is kept
 * {@code keepDays} and listed with its schedule. Every instance looks for due schedules every 30 s and takes each with
 * {@code FOR UPDATE SKIP LOCKED}, advancing it in the same transaction: a run is made once, by one instance. A schedule that
 * was due while no instance ran is run once when one starts, for its latest due time, not once per missed time.
 */
@ApplicationScoped
public class ReportSchedules {

    private static final Logger LOG = Logger.getLogger(ReportSchedules.class);
    private static final DateTimeFormatter FILE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");
    private static final String COLUMNS = "id, name, operation, product, lot, station, raw_data, cadence, day_of_week, at_local, keep_days, "
            + "created_by, created_at, next_run_at, last_run_at";

    /**
     * A schedule as the API shows it.
     *
     * @param at the local time of the plant's clock, HH:mm
     * @param zone the plant's zone that {@code at} is in
     */
    public record ScheduleView(long id, String name, String operation, String product, String lot, String station, boolean rawData,
            String cadence, String dayOfWeek, String at, String zone, int keepDays, String createdBy, Instant createdAt, Instant nextRunAt,
            Instant lastRunAt) {

        ReportCadence cadenceRule() {
            return ReportCadence.parse(cadence, dayOfWeek, at);
        }
    }

    /** A schedule to make; filters null = any. */
    public record NewSchedule(String name, String operation, String product, String lot, String station, Boolean rawData, String cadence,
            String dayOfWeek, String at, Integer keepDays) {
    }

    private final DataSource database;
    private final PlantCalendar calendar;
    private final WorkbookService workbooks;
    private final ReportJobs jobs;
    private final YieldService yields;

    ReportSchedules(DataSource database, PlantCalendar calendar, WorkbookService workbooks, ReportJobs jobs, YieldService yields) {
        this.database = database;
        this.calendar = calendar;
        this.workbooks = workbooks;
        this.jobs = jobs;
        this.yields = yields;
    }

    /** Makes a schedule; its first run is the first scheduled time after now. */
    public ScheduleView create(NewSchedule s, String author) {
        if (s.name() == null || s.name().isBlank() || s.name().length() > 200) {
            throw new InvalidRequestException("name", "A schedule needs a name of 1 to 200 characters.");
        }
        int keep = s.keepDays() == null ? 30 : s.keepDays();
        if (keep < 1 || keep > 3650) {
            throw new InvalidRequestException("keepDays", "keepDays " + keep + " is not between 1 and 3650.");
        }
        ReportCadence cadence;
        try {
            cadence = ReportCadence.parse(s.cadence() == null ? "" : s.cadence(), s.dayOfWeek(), s.at() == null ? "" : s.at());
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("dayOfWeek") ? "dayOfWeek" : e.getMessage().startsWith("at") ? "at" : "cadence";
            throw new InvalidRequestException(field, e.getMessage());
        }
        String operation = yields.operation(s.operation());
        ReportFilter.of(operation, s.product(), s.lot(), s.station(), null, null); // the filters' own checks
        Instant next = cadence.nextAfter(Instant.now(), calendar.zone());
        long id = insert(s, operation, cadence, keep, author, next);
        return find(id);
    }

    public List<ScheduleView> list() {
        return query("SELECT " + COLUMNS + " FROM report_schedules ORDER BY name, id", null);
    }

    public ScheduleView find(long id) {
        List<ScheduleView> found = query("SELECT " + COLUMNS + " FROM report_schedules WHERE id = ?", id);
        if (found.isEmpty()) {
            throw new NotFoundException("No report schedule " + id + ".");
        }
        return found.get(0);
    }

    /** Deletes a schedule; its files stay until their keep-until. */
    public void delete(long id) {
        find(id);
        update("DELETE FROM report_schedules WHERE id = ?", id);
    }

    /** The runs of a schedule whose files are still kept, newest first. */
    public List<ReportJobs.JobView> files(long id) {
        find(id);
        return jobs.ofSchedule(id);
    }

    /** Runs a schedule now, for the period that ends now (its next scheduled run stays as it was). */
    public ReportJobs.JobView runNow(long id) {
        ScheduleView s = find(id);
        return run(s, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Scheduled(every = "30s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runDue() {
        try {
            for (Due due : takeDue(Instant.now())) {
                try {
                    run(due.schedule(), due.at());
                } catch (RuntimeException e) {
                    // not lost: due again at once, tried at the next pass (a full job queue empties)
                    LOG.errorf(e, "scheduled report %d (%s) due at %s could not be started; tried again in 30 s", due.schedule().id(),
                            due.schedule().name(), due.at());
                    update("UPDATE report_schedules SET next_run_at = least(next_run_at, ?) WHERE id = ?", due.at(), due.schedule().id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("looking for due report schedules failed (next try in 30 s): %s", e.getMessage());
        }
    }

    private record Due(ScheduleView schedule, Instant at) {
    }

    /** The due schedules, each advanced to its next time after {@code now} in the transaction that takes it. */
    private List<Due> takeDue(Instant now) {
        List<Due> due = new ArrayList<>();
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                takeDue(c, now, due);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take due report schedules (nothing taken: the transaction is rolled back): "
                    + e.getMessage(), e);
        }
        return due;
    }

    private void takeDue(Connection c, Instant now, List<Due> due) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM report_schedules WHERE next_run_at <= ? "
                + "ORDER BY next_run_at LIMIT 10 FOR UPDATE SKIP LOCKED");
                PreparedStatement advance = c.prepareStatement("UPDATE report_schedules SET next_run_at = ?, last_run_at = ? WHERE id = ?")) {
            s.setObject(1, now.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ScheduleView schedule = view(rs);
                    // the latest scheduled time at or before now: after an outage, the period that just ended
                    due.add(new Due(schedule, schedule.cadenceRule().latestAtOrBefore(now, calendar.zone())));
                }
            }
            for (Due d : due) {
                advance.setObject(1, d.schedule().cadenceRule().nextAfter(now, calendar.zone()).atOffset(ZoneOffset.UTC));
                advance.setObject(2, d.at().atOffset(ZoneOffset.UTC));
                advance.setLong(3, d.schedule().id());
                advance.executeUpdate();
            }
        }
    }

    private ReportJobs.JobView run(ScheduleView s, Instant at) {
        Instant from = s.cadenceRule().periodStart(at, calendar.zone());
        ReportFilter filter = ReportFilter.of(s.operation(), s.product(), s.lot(), s.station(), from.toString(), at.toString());
        YieldReport report = workbooks.report(filter);
        long rawRows = s.rawData() ? workbooks.rawRowCount(filter) : 0;
        String fileName = "yield-" + s.name().replaceAll("[^A-Za-z0-9._-]+", "_") + "-" + FILE_DATE.format(at.atZone(calendar.zone())) + ".xlsx";
        ReportJobs.JobView job = jobs.submit(report, filter, s.rawData(), rawRows, fileName,
                new ReportJobs.Scheduled(s.id(), at.plus(s.keepDays(), ChronoUnit.DAYS), from, at));
        LOG.infof("scheduled report %d (%s) for %s .. %s: job %s", s.id(), s.name(), from, at, job.id());
        return job;
    }

    private long insert(NewSchedule s, String operation, ReportCadence cadence, int keep, String author, Instant next) {
        try (Connection c = database.getConnection(); PreparedStatement p = c.prepareStatement("INSERT INTO report_schedules (name, operation, "
                + "product, lot, station, raw_data, cadence, day_of_week, at_local, keep_days, created_by, next_run_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            p.setString(1, s.name().strip());
            p.setString(2, operation);
            p.setString(3, blankToNull(s.product()));
            p.setString(4, blankToNull(s.lot()));
            p.setString(5, blankToNull(s.station()));
            p.setBoolean(6, s.rawData() == null || s.rawData());
            p.setString(7, cadence.kind().name());
            p.setString(8, cadence.day() == null ? null : cadence.day().name());
            p.setObject(9, cadence.at());
            p.setInt(10, keep);
            p.setString(11, author);
            p.setObject(12, next.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the report schedule: " + e.getMessage(), e);
        }
    }

    private List<ScheduleView> query(String sql, Long id) {
        List<ScheduleView> out = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (id != null) {
                s.setLong(1, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(view(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read report schedules: " + e.getMessage(), e);
        }
        return out;
    }

    private ScheduleView view(ResultSet rs) throws SQLException {
        LocalTime at = rs.getObject(10, LocalTime.class);
        return new ScheduleView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getBoolean(7), rs.getString(8), rs.getString(9), at.toString(), calendar.zone().getId(), rs.getInt(11), rs.getString(12),
                instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)));
    }

    private void update(String sql, Object... args) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i] instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("report schedules: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
