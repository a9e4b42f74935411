package com.cpo.platform.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.query.NativeQuery;

/**
 * Runs and measurements from the station events. Every write is idempotent in the database: runs are
 * unique on run_id, alignment values on (run_id, step, channel), and burn-in readings, which fold into a
 * summary row, are recorded in processed_events in the same transaction. Callers must be in a transaction.
 */
@ApplicationScoped
public class MeasurementRepository {

    private final EntityManager em;
    private final PartitionMaintenance partitions;

    MeasurementRepository(EntityManager em, PartitionMaintenance partitions) {
        this.em = em;
        this.partitions = partitions;
    }

    /** When the run with this id started, if its RunStarted is stored. */
    public java.util.Optional<Instant> runStart(String runId) {
        @SuppressWarnings("unchecked")
        List<Object> starts = em.createNativeQuery("SELECT started_at FROM runs WHERE run_id = :runId").setParameter("runId", runId)
                .getResultList();
        return starts.stream().findFirst().map(MeasurementRepository::instant);
    }

    /** A run as its RunStarted event describes it. */
    public record StartedRun(String eventId, String runId, String operation, int attempt, String station,
            String operator, String limitSetId, int channelCount, Instant startedAt) {
    }

    /**
     * Inserts the run unless one with this run id exists; true when it was new. The table is partitioned by start
     * time, so its unique keys include it: "no row with this run id" is the statement's own condition, and runs of one
     * unit come in order on one partition of the station-events topic.
     */
    public boolean insertRun(long unitId, StartedRun run) {
        partitions.ensure(PartitionMaintenance.RUNS, run.startedAt());
        return em.createNativeQuery("""
                INSERT INTO runs (run_id, unit_id, operation, attempt, station, operator, limit_set_id, channel_count,
                                  started_at, started_event_id)
                SELECT CAST(:runId AS varchar), CAST(:unitId AS bigint), CAST(:operation AS varchar), CAST(:attempt AS integer),
                       CAST(:station AS varchar), CAST(:operator AS varchar), CAST(:limitSetId AS varchar),
                       CAST(:channelCount AS integer), CAST(:startedAt AS timestamptz), CAST(:eventId AS varchar)
                WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = :runId)
                ON CONFLICT DO NOTHING""")
                .setParameter("runId", run.runId())
                .setParameter("unitId", unitId)
                .setParameter("operation", run.operation())
                .setParameter("attempt", run.attempt())
                .setParameter("station", run.station())
                .setParameter("operator", run.operator())
                .setParameter("limitSetId", run.limitSetId())
                .setParameter("channelCount", run.channelCount())
                .setParameter("startedAt", run.startedAt())
                .setParameter("eventId", run.eventId())
                .executeUpdate() == 1;
    }

    /** Records the end of a run; false when its RunStarted has not been stored or it was already completed. */
    public boolean completeRun(String runId, Instant completedAt, boolean aborted, int measurementEvents) {
        return em.createNativeQuery("""
                UPDATE runs SET completed_at = :completedAt, aborted = :aborted, measurement_events = :events
                WHERE run_id = :runId AND completed_at IS NULL""")
                .setParameter("completedAt", completedAt)
                .setParameter("aborted", aborted)
                .setParameter("events", measurementEvents)
                .setParameter("runId", runId)
                .executeUpdate() == 1;
    }

    /**
     * Inserts one channel's alignment value at one step unless a value of that run, step and channel is stored already
     * (the first one stays); true when it was new.
     */
    public boolean insertAlignmentValue(String eventId, String runId, String serial, String station, String step,
            int channel, double couplingLossDb, Double pdlDb, Instant measuredAt) {
        partitions.ensure(PartitionMaintenance.ALIGNMENT_VALUES, measuredAt);
        NativeQuery<?> insert = em.createNativeQuery("""
                INSERT INTO alignment_values (run_id, serial, station, step, channel, coupling_loss_db, pdl_db,
                                              measured_at, event_id)
                SELECT CAST(:runId AS varchar), CAST(:serial AS varchar), CAST(:station AS varchar), CAST(:step AS varchar),
                       CAST(:channel AS integer), CAST(:loss AS double precision), CAST(:pdl AS double precision),
                       CAST(:measuredAt AS timestamptz), CAST(:eventId AS varchar)
                WHERE NOT EXISTS (SELECT 1 FROM alignment_values WHERE run_id = :runId AND step = :step AND channel = :channel)
                ON CONFLICT DO NOTHING""").unwrap(NativeQuery.class);
        return insert.setParameter("runId", runId, String.class)
                .setParameter("serial", serial, String.class)
                .setParameter("station", station, String.class)
                .setParameter("step", step, String.class)
                .setParameter("channel", channel, Integer.class)
                .setParameter("loss", couplingLossDb, Double.class)
                .setParameter("pdl", pdlDb, Double.class)
                .setParameter("measuredAt", measuredAt, Instant.class)
                .setParameter("eventId", eventId, String.class)
                .executeUpdate() == 1;
    }

    /** Records an event id; false when it had been recorded before (a redelivery). */
    public boolean markProcessed(String eventId, String eventType) {
        return em.createNativeQuery("""
                INSERT INTO processed_events (event_id, event_type) VALUES (:eventId, :type)
                ON CONFLICT DO NOTHING""")
                .setParameter("eventId", eventId)
                .setParameter("type", eventType)
                .executeUpdate() == 1;
    }

    /** One burn-in reading of one channel. */
    public record Reading(String runId, String serial, String station, int slot, int channel, Instant at,
            double powerDbm, double biasCurrentMa, double caseTemperatureC) {
    }

    /**
     * Folds a reading into its channel's summary. Readings may arrive out of order (a station agent
     * catching up), so first and last are chosen by reading time, not arrival. Call only for readings not
     * processed before (see {@link #markProcessed}).
     */
    public void addReading(Reading r) {
        em.createNativeQuery("""
                INSERT INTO burnin_channel_summaries AS s (run_id, serial, station, slot, channel, readings,
                    first_reading_at, last_reading_at, first_power_dbm, last_power_dbm, min_power_dbm, max_power_dbm,
                    first_bias_current_ma, last_bias_current_ma, max_case_temperature_c)
                VALUES (:runId, :serial, :station, :slot, :channel, 1, :at, :at, :power, :power, :power, :power,
                        :bias, :bias, :temp)
                ON CONFLICT (run_id, channel) DO UPDATE SET
                    readings = s.readings + 1,
                    first_power_dbm = CASE WHEN EXCLUDED.first_reading_at < s.first_reading_at
                                           THEN EXCLUDED.first_power_dbm ELSE s.first_power_dbm END,
                    first_bias_current_ma = CASE WHEN EXCLUDED.first_reading_at < s.first_reading_at
                                                 THEN EXCLUDED.first_bias_current_ma ELSE s.first_bias_current_ma END,
                    first_reading_at = LEAST(s.first_reading_at, EXCLUDED.first_reading_at),
                    last_power_dbm = CASE WHEN EXCLUDED.last_reading_at >= s.last_reading_at
                                          THEN EXCLUDED.last_power_dbm ELSE s.last_power_dbm END,
                    last_bias_current_ma = CASE WHEN EXCLUDED.last_reading_at >= s.last_reading_at
                                                THEN EXCLUDED.last_bias_current_ma ELSE s.last_bias_current_ma END,
                    last_reading_at = GREATEST(s.last_reading_at, EXCLUDED.last_reading_at),
                    min_power_dbm = LEAST(s.min_power_dbm, EXCLUDED.min_power_dbm),
                    max_power_dbm = GREATEST(s.max_power_dbm, EXCLUDED.max_power_dbm),
                    max_case_temperature_c = GREATEST(s.max_case_temperature_c, EXCLUDED.max_case_temperature_c)""")
                .setParameter("runId", r.runId())
                .setParameter("serial", r.serial())
                .setParameter("station", r.station())
                .setParameter("slot", r.slot())
                .setParameter("channel", r.channel())
                .setParameter("at", r.at())
                .setParameter("power", r.powerDbm())
                .setParameter("bias", r.biasCurrentMa())
                .setParameter("temp", r.caseTemperatureC())
                .executeUpdate();
    }

    /** One channel's scan of one alignment step: positions (µm from the peak) and coupled power (dBm), same length. */
    public record Scan(String runId, String step, int channel, Instant measuredAt, double[] xUm, double[] yUm, double[] powerDbm) {
    }

    /** Stores a channel's scan; one already there (same run, step and channel) changes nothing. */
    public void insertScan(String serial, Scan scan) {
        em.createNativeQuery("""
                INSERT INTO alignment_scans (run_id, serial, step, channel, measured_at, x_um, y_um, power_dbm)
                VALUES (:runId, :serial, :step, :channel, :at, CAST(:x AS double precision[]), CAST(:y AS double precision[]),
                        CAST(:p AS double precision[]))
                ON CONFLICT DO NOTHING""")
                .setParameter("runId", scan.runId())
                .setParameter("serial", serial)
                .setParameter("step", scan.step())
                .setParameter("channel", scan.channel())
                .setParameter("at", scan.measuredAt())
                .setParameter("x", array(scan.xUm()))
                .setParameter("y", array(scan.yUm()))
                .setParameter("p", array(scan.powerDbm()))
                .executeUpdate();
    }

    /** Every stored scan of a unit, by run, step and channel. */
    public List<Scan> scansOfSerial(String serial) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT run_id, step, channel, measured_at, x_um::text, y_um::text, power_dbm::text FROM alignment_scans
                WHERE serial = :serial
                ORDER BY run_id, CASE step WHEN 'PRE_CURE' THEN 0 WHEN 'POST_UV' THEN 1 ELSE 2 END, channel""")
                .setParameter("serial", serial)
                .getResultList();
        return rows.stream().map(r -> new Scan((String) r[0], (String) r[1], ((Number) r[2]).intValue(), instant(r[3]),
                doubles((String) r[4]), doubles((String) r[5]), doubles((String) r[6]))).toList();
    }

    /** A PostgreSQL array literal of doubles, "{1.0,2.5}" (Double.toString round-trips every value). */
    static String array(double[] values) {
        StringBuilder out = new StringBuilder(values.length * 8).append('{');
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        return out.append('}').toString();
    }

    static double[] doubles(String literal) {
        String inner = literal.substring(1, literal.length() - 1);
        return inner.isEmpty() ? new double[0] : java.util.Arrays.stream(inner.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** Stores a reading in the time series; one already there (same run, channel and time) changes nothing. */
    public void insertReading(Reading r) {
        em.createNativeQuery("""
                INSERT INTO burnin_readings (run_id, serial, station, slot, channel, read_at, power_dbm, bias_current_ma,
                    case_temperature_c)
                VALUES (:runId, :serial, :station, :slot, :channel, :at, :power, :bias, :temp)
                ON CONFLICT DO NOTHING""")
                .setParameter("runId", r.runId())
                .setParameter("serial", r.serial())
                .setParameter("station", r.station())
                .setParameter("slot", r.slot())
                .setParameter("channel", r.channel())
                .setParameter("at", r.at())
                .setParameter("power", r.powerDbm())
                .setParameter("bias", r.biasCurrentMa())
                .setParameter("temp", r.caseTemperatureC())
                .executeUpdate();
    }

    /** Every stored burn-in reading of a unit, by run, channel and time. */
    public List<Reading> readingsOfSerial(String serial) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT run_id, station, slot, channel, read_at, power_dbm, bias_current_ma, case_temperature_c
                FROM burnin_readings WHERE serial = :serial ORDER BY run_id, channel, read_at""")
                .setParameter("serial", serial)
                .getResultList();
        return rows.stream().map(r -> new Reading((String) r[0], serial, (String) r[1], ((Number) r[2]).intValue(),
                ((Number) r[3]).intValue(), instant(r[4]), d(r[5]), d(r[6]), d(r[7]))).toList();
    }

    /** A stored alignment value. */
    public record AlignmentValue(String runId, String step, int channel, double couplingLossDb, Double pdlDb,
            Instant measuredAt) {
    }

    /** A run's RunStarted/RunCompleted facts. */
    public record RunRecord(String runId, String operation, int attempt, String station, String operator,
            String limitSetId, int channelCount, Instant startedAt, Instant completedAt, Boolean aborted) {
    }

    /** A stored burn-in channel summary. */
    public record BurnInSummary(String runId, int slot, int channel, int readings, Instant firstReadingAt,
            Instant lastReadingAt, double firstPowerDbm, double lastPowerDbm, double minPowerDbm, double maxPowerDbm,
            double firstBiasCurrentMa, double lastBiasCurrentMa, double maxCaseTemperatureC, double powerDriftDb,
            Double biasDriftPct) {
    }

    public List<RunRecord> runsOfSerial(String serial) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT r.run_id, r.operation, r.attempt, r.station, r.operator, r.limit_set_id, r.channel_count,
                       r.started_at, r.completed_at, r.aborted
                FROM runs r JOIN units u ON u.id = r.unit_id WHERE u.serial = :serial
                ORDER BY r.started_at, r.attempt""")
                .setParameter("serial", serial)
                .getResultList();
        return rows.stream().map(r -> new RunRecord((String) r[0], (String) r[1], ((Number) r[2]).intValue(),
                (String) r[3], (String) r[4], (String) r[5], ((Number) r[6]).intValue(), instant(r[7]), instant(r[8]),
                (Boolean) r[9])).toList();
    }

    public List<AlignmentValue> alignmentOfSerial(String serial) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT run_id, step, channel, coupling_loss_db, pdl_db, measured_at FROM alignment_values
                WHERE serial = :serial
                ORDER BY run_id, CASE step WHEN 'PRE_CURE' THEN 0 WHEN 'POST_UV' THEN 1 ELSE 2 END, channel""")
                .setParameter("serial", serial)
                .getResultList();
        return rows.stream().map(r -> new AlignmentValue((String) r[0], (String) r[1], ((Number) r[2]).intValue(),
                ((Number) r[3]).doubleValue(), r[4] == null ? null : ((Number) r[4]).doubleValue(), instant(r[5]))).toList();
    }

    public List<BurnInSummary> burnInOfSerial(String serial) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT run_id, slot, channel, readings, first_reading_at, last_reading_at, first_power_dbm, last_power_dbm,
                       min_power_dbm, max_power_dbm, first_bias_current_ma, last_bias_current_ma,
                       max_case_temperature_c, power_drift_db, bias_drift_pct
                FROM burnin_channel_summaries WHERE serial = :serial ORDER BY run_id, channel""")
                .setParameter("serial", serial)
                .getResultList();
        return rows.stream().map(r -> new BurnInSummary((String) r[0], ((Number) r[1]).intValue(),
                ((Number) r[2]).intValue(), ((Number) r[3]).intValue(), instant(r[4]), instant(r[5]), d(r[6]), d(r[7]),
                d(r[8]), d(r[9]), d(r[10]), d(r[11]), d(r[12]), d(r[13]), r[14] == null ? null : d(r[14]))).toList();
    }

    static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    /** PostgreSQL's driver returns timestamptz as OffsetDateTime or Timestamp depending on the path. */
    static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass());
    }
}
