-- Statistical process control of final coupling loss: X̄ charts on plant-hour subgroups per product × station ×
-- channel, computed by the analytics app (cpo.spc-points.v1, cpo.spc-violations.v1) and stored here; baselines frozen
-- by an engineer from the stored points of a period, versioned per product and station, and published to
-- cpo.spc-baselines.v1.
CREATE TABLE spc_points (
    product         varchar(64)  NOT NULL,
    station         varchar(64)  NOT NULL,
    channel         integer      NOT NULL,
    hour_start      timestamptz  NOT NULL,
    n               bigint       NOT NULL,
    mean_db         double precision NOT NULL,
    std_dev_db      double precision,
    baseline_version integer,
    centre_db       double precision,
    lcl_db          double precision,
    ucl_db          double precision,
    z               double precision,
    violations      varchar(32)[] NOT NULL,
    PRIMARY KEY (product, station, channel, hour_start)
);

CREATE TABLE spc_violations (
    event_id         varchar(255) PRIMARY KEY,
    product          varchar(64)  NOT NULL,
    station          varchar(64)  NOT NULL,
    channel          integer      NOT NULL,
    hour_start       timestamptz  NOT NULL,
    rule             varchar(32)  NOT NULL,
    n                bigint       NOT NULL,
    mean_db          double precision NOT NULL,
    z                double precision NOT NULL,
    centre_db        double precision NOT NULL,
    lcl_db           double precision NOT NULL,
    ucl_db           double precision NOT NULL,
    baseline_version integer      NOT NULL,
    message          varchar(1000) NOT NULL
);
CREATE INDEX spc_violations_chart_idx ON spc_violations (product, station, hour_start);

CREATE TABLE spc_baselines (
    product      varchar(64)   NOT NULL,
    station      varchar(64)   NOT NULL,
    version      integer       NOT NULL,
    period_start timestamptz   NOT NULL,
    period_end   timestamptz   NOT NULL,
    frozen_by    varchar(255)  NOT NULL,
    frozen_at    timestamptz   NOT NULL,
    reason       varchar(1000) NOT NULL,
    PRIMARY KEY (product, station, version)
);

CREATE TABLE spc_baseline_channels (
    product   varchar(64)      NOT NULL,
    station   varchar(64)      NOT NULL,
    version   integer          NOT NULL,
    channel   integer          NOT NULL,
    centre_db double precision NOT NULL,
    sigma_db  double precision NOT NULL,
    subgroups integer          NOT NULL,
    units     bigint           NOT NULL,
    PRIMARY KEY (product, station, version, channel),
    FOREIGN KEY (product, station, version) REFERENCES spc_baselines (product, station, version) ON DELETE CASCADE
);
