-- A unit's genealogy, as the alignment tester reports it (RunStarted v6): the wafer and die of its photonic IC and the
-- serial of the fiber array unit aligned to it. A later report fills what an earlier one left empty and corrects it.
ALTER TABLE units ADD COLUMN pic_wafer varchar(128);
ALTER TABLE units ADD COLUMN pic_die varchar(128);
ALTER TABLE units ADD COLUMN fiber_array_serial varchar(128);
CREATE INDEX units_pic_wafer_idx ON units (pic_wafer) WHERE pic_wafer IS NOT NULL;

-- The power-vs-position scan of an alignment step, where the tester wrote one (AlignmentResult v6): one row per run, step
-- and channel, its points as three arrays of the same length (x and y in µm from the peak, coupled power in dBm).
-- Partitioned by the month (UTC) of the step's measurement like alignment_values; retention drops whole months
-- (cpo.platform.retention.alignment-scans). A 7 × 7 raster of 16 channels is about 20 kB a run.
CREATE TABLE alignment_scans (
    run_id      varchar(255)       NOT NULL,
    serial      varchar(128)       NOT NULL,
    step        varchar(16)        NOT NULL CHECK (step IN ('PRE_CURE', 'POST_UV', 'POST_THERMAL')),
    channel     integer            NOT NULL,
    measured_at timestamptz        NOT NULL,
    x_um        double precision[] NOT NULL,
    y_um        double precision[] NOT NULL,
    power_dbm   double precision[] NOT NULL,
    CONSTRAINT alignment_scans_pkey PRIMARY KEY (run_id, step, channel, measured_at),
    CONSTRAINT alignment_scans_same_length CHECK (cardinality(x_um) = cardinality(y_um) AND cardinality(x_um) = cardinality(power_dbm))
) PARTITION BY RANGE (measured_at);
CREATE INDEX alignment_scans_serial_idx ON alignment_scans (serial);

INSERT INTO cpo_month_partitioned (parent) VALUES ('alignment_scans');
