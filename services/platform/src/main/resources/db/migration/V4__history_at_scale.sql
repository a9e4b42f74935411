-- A year of production and more, answered where the data is.
--
-- 1. runs and alignment_values are partitioned by month (UTC) of their time: a day's or a month's question reads
--    only its months, and retention drops whole months (PartitionMaintenance). Partitions are made on demand before
--    an insert needs one (cpo_ensure_month_partition) and ahead of time by the service.
-- 2. unit_yield and unit_station_yield hold, per unit and operation (and per station), what the unit adds to yield:
--    its first and last run and its run counts, computed by the domain (com.cpo.domain.UnitYield) whenever a verdict of
--    the unit is stored. Yield over any set of units is then a sum over one row per unit.
-- 3. Indexes for the questions the service answers (see ReportRepository and YieldRepository for the queries).

-- Creates the month partition of `parent` that holds `at` unless it exists; returns its name, e.g. runs_y2026m11.
-- The partition is created apart and then attached: ATTACH takes a SHARE UPDATE EXCLUSIVE lock on the parent, which
-- waits for no insert and no query (CREATE TABLE ... PARTITION OF would take an ACCESS EXCLUSIVE one). Two sessions
-- making the same month take turns on an advisory lock.
CREATE FUNCTION cpo_ensure_month_partition(parent text, at timestamptz) RETURNS text AS $$
DECLARE
    month_start timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
    name        text      := parent || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
BEGIN
    IF parent NOT IN ('runs', 'alignment_values') THEN
        RAISE EXCEPTION 'no month partitions for table %', parent;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cpo_ensure_month_partition ' || name));
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name,
                       month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
    END IF;
    RETURN name;
END
$$ LANGUAGE plpgsql;

-- runs, partitioned by started_at. run_id stays unique in practice: the service inserts a run only when no row has its
-- run_id (MeasurementRepository.insertRun); the unique keys include the partition key, as PostgreSQL requires.
ALTER TABLE runs RENAME TO runs_unpartitioned;
ALTER TABLE runs_unpartitioned RENAME CONSTRAINT runs_run_id_key TO runs_unpartitioned_run_id_key;
ALTER TABLE runs_unpartitioned RENAME CONSTRAINT runs_started_event_id_key TO runs_unpartitioned_started_event_id_key;
ALTER INDEX runs_unit_idx RENAME TO runs_unpartitioned_unit_idx;
ALTER INDEX runs_started_idx RENAME TO runs_unpartitioned_started_idx;

CREATE TABLE runs (
    run_id             varchar(255) NOT NULL,
    unit_id            bigint       NOT NULL REFERENCES units (id),
    operation          varchar(16)  NOT NULL,
    attempt            integer      NOT NULL CHECK (attempt >= 1),
    station            varchar(64)  NOT NULL,
    operator           varchar(128) NOT NULL,
    limit_set_id       varchar(128) NOT NULL,
    channel_count      integer      NOT NULL,
    started_at         timestamptz  NOT NULL,
    started_event_id   varchar(255) NOT NULL,
    -- null until RunCompleted arrives
    completed_at       timestamptz,
    aborted            boolean,
    measurement_events integer,
    CONSTRAINT runs_run_id_key UNIQUE (run_id, started_at),
    CONSTRAINT runs_started_event_id_key UNIQUE (started_event_id, started_at)
) PARTITION BY RANGE (started_at);

SELECT cpo_ensure_month_partition('runs', m)
  FROM (SELECT DISTINCT date_trunc('month', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m FROM runs_unpartitioned) months;
INSERT INTO runs (run_id, unit_id, operation, attempt, station, operator, limit_set_id, channel_count, started_at,
                  started_event_id, completed_at, aborted, measurement_events)
SELECT run_id, unit_id, operation, attempt, station, operator, limit_set_id, channel_count, started_at,
       started_event_id, completed_at, aborted, measurement_events
  FROM runs_unpartitioned;
DROP TABLE runs_unpartitioned;
-- a unit's runs (its history); runs of an operation in a time range
CREATE INDEX runs_unit_idx ON runs (unit_id, started_at);
CREATE INDEX runs_started_idx ON runs (operation, started_at);

-- alignment_values, partitioned by measured_at. (run_id, step, channel) stays unique in practice: the service inserts a
-- value only when no row has its key (MeasurementRepository.insertAlignmentValue).
ALTER TABLE alignment_values RENAME TO alignment_values_unpartitioned;
ALTER TABLE alignment_values_unpartitioned
    RENAME CONSTRAINT alignment_values_run_step_channel_key TO alignment_values_unpartitioned_key;
ALTER INDEX alignment_values_serial_idx RENAME TO alignment_values_unpartitioned_serial_idx;

CREATE TABLE alignment_values (
    run_id           varchar(255)     NOT NULL,
    serial           varchar(128)     NOT NULL,
    station          varchar(64)      NOT NULL,
    step             varchar(16)      NOT NULL CHECK (step IN ('PRE_CURE', 'POST_UV', 'POST_THERMAL')),
    channel          integer          NOT NULL,
    coupling_loss_db double precision NOT NULL,
    pdl_db           double precision,
    measured_at      timestamptz      NOT NULL,
    event_id         varchar(255)     NOT NULL,
    CONSTRAINT alignment_values_run_step_channel_key UNIQUE (run_id, step, channel, measured_at)
) PARTITION BY RANGE (measured_at);

SELECT cpo_ensure_month_partition('alignment_values', m)
  FROM (SELECT DISTINCT date_trunc('month', measured_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m
          FROM alignment_values_unpartitioned) months;
INSERT INTO alignment_values (run_id, serial, station, step, channel, coupling_loss_db, pdl_db, measured_at, event_id)
SELECT run_id, serial, station, step, channel, coupling_loss_db, pdl_db, measured_at, event_id
  FROM alignment_values_unpartitioned;
DROP TABLE alignment_values_unpartitioned;
-- a unit's history
CREATE INDEX alignment_values_serial_idx ON alignment_values (serial);
-- one station's statistics over a time range
CREATE INDEX alignment_values_station_time_idx ON alignment_values (station, measured_at);
-- a day's or a week's values (the workbook's raw data and statistics): rows arrive in time order, so a block range
-- index is as selective as a b-tree at a thousandth of its size
CREATE INDEX alignment_values_time_brin ON alignment_values USING brin (measured_at);

-- What each unit adds to the yield of its operation (all its runs) and of each station (that station's runs alone).
-- first_passed / final_passed: its first / last run passed; runs, passed_runs, incomplete_runs: counts. Maintained by
-- the service in the transaction that stores a verdict (YieldRepository.refresh), from the domain's UnitYield.
CREATE TABLE unit_yield (
    unit_id         bigint      NOT NULL REFERENCES units (id),
    operation       varchar(16) NOT NULL,
    product         varchar(64) NOT NULL,
    lot             varchar(64) NOT NULL,
    first_run_start timestamptz NOT NULL,
    first_station   varchar(64) NOT NULL,
    first_passed    boolean     NOT NULL,
    final_passed    boolean     NOT NULL,
    runs            integer     NOT NULL,
    passed_runs     integer     NOT NULL,
    incomplete_runs integer     NOT NULL,
    last_run_start  timestamptz NOT NULL,
    PRIMARY KEY (unit_id, operation)
);
-- units of an operation whose first run started in a time range (every yield question has one)
CREATE INDEX unit_yield_first_run_idx ON unit_yield (operation, first_run_start);
-- a lot's units
CREATE INDEX unit_yield_lot_idx ON unit_yield (product, lot, operation);

CREATE TABLE unit_station_yield (
    unit_id         bigint      NOT NULL REFERENCES units (id),
    operation       varchar(16) NOT NULL,
    station         varchar(64) NOT NULL,
    product         varchar(64) NOT NULL,
    lot             varchar(64) NOT NULL,
    first_run_start timestamptz NOT NULL,
    first_passed    boolean     NOT NULL,
    final_passed    boolean     NOT NULL,
    runs            integer     NOT NULL,
    passed_runs     integer     NOT NULL,
    incomplete_runs integer     NOT NULL,
    last_run_start  timestamptz NOT NULL,
    PRIMARY KEY (unit_id, operation, station)
);
CREATE INDEX unit_station_yield_first_run_idx ON unit_station_yield (operation, first_run_start);
CREATE INDEX unit_station_yield_station_idx ON unit_station_yield (station, operation, first_run_start);
CREATE INDEX unit_station_yield_lot_idx ON unit_station_yield (product, lot, operation);

-- Verdicts already stored are folded into the new tables when the service starts (YieldRollupBackfill): the rule
-- that decides a unit's first and last run is the domain's, in Java, not repeated here.
CREATE TABLE maintenance_tasks (
    name         varchar(64) PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    done_at      timestamptz
);
INSERT INTO maintenance_tasks (name) SELECT 'unit-yield-backfill' WHERE EXISTS (SELECT 1 FROM verdicts);

-- the runs of an operation (and of a station) judged in a time range: statistics, Pareto and failing units
CREATE INDEX verdicts_operation_start_idx ON verdicts (operation, run_start_time);
CREATE INDEX verdicts_station_start_idx ON verdicts (station, run_start_time);

-- retention of the tables that are not partitioned (PartitionMaintenance deletes their old rows in batches)
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
CREATE INDEX burnin_channel_summaries_last_reading_idx ON burnin_channel_summaries (last_reading_at);
