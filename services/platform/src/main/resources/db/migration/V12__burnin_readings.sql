-- Every burn-in reading, kept as a time series so a unit's drift can be drawn (burnin_channel_summaries keeps the
-- at-a-glance fold). Not downsampled: a rack reads each channel every 5 minutes, 288 readings a channel a day, about
-- 100 bytes a row with its key; a 16-channel unit's 24 h burn-in is 4,608 rows.
-- Partitioned by the month (UTC) of the reading like runs and alignment_values; retention drops whole months
-- (cpo.platform.retention.burnin-readings). The primary key makes a redelivered reading change nothing, even after its
-- event id has left processed_events.
CREATE TABLE burnin_readings (
    run_id             varchar(255)     NOT NULL,
    serial             varchar(128)     NOT NULL,
    station            varchar(64)      NOT NULL,
    slot               integer          NOT NULL,
    channel            integer          NOT NULL,
    read_at            timestamptz      NOT NULL,
    power_dbm          double precision NOT NULL,
    bias_current_ma    double precision NOT NULL,
    case_temperature_c double precision NOT NULL,
    CONSTRAINT burnin_readings_pkey PRIMARY KEY (run_id, channel, read_at)
) PARTITION BY RANGE (read_at);
CREATE INDEX burnin_readings_serial_idx ON burnin_readings (serial, read_at);

-- The tables with month partitions, in a table: a new one is a row, not a new version of the function below.
CREATE TABLE cpo_month_partitioned (parent text PRIMARY KEY);
INSERT INTO cpo_month_partitioned (parent) VALUES ('runs'), ('alignment_values'), ('burnin_readings');

-- cpo_ensure_month_partition (V6) for any table listed in cpo_month_partitioned.
CREATE OR REPLACE FUNCTION cpo_ensure_month_partition(parent text, at timestamptz) RETURNS text AS $$
DECLARE
    month_start timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
    name        text      := parent || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cpo_month_partitioned t WHERE t.parent = cpo_ensure_month_partition.parent) THEN
        RAISE EXCEPTION 'no month partitions for table %', parent;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN name;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('cpo_ensure_month_partition ' || name));
    IF to_regclass(name) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name,
                           month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        EXCEPTION WHEN duplicate_table THEN
            NULL; -- made and attached by another session, which held the lock until it committed
        END;
    END IF;
    RETURN name;
END
$$ LANGUAGE plpgsql;

-- The search box: units and lots by the start of their name, whatever its case.
CREATE INDEX units_serial_prefix_idx ON units (upper(serial) text_pattern_ops);
CREATE INDEX lots_lot_prefix_idx ON lots (upper(lot) text_pattern_ops);
