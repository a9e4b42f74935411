-- What-if jobs are report jobs whose build also leaves figures: kept as JSON with the job, deleted with it.
ALTER TABLE report_jobs ADD COLUMN result jsonb;

-- DPAT settings per product (domain com.cpo.domain.Dpat.Settings); a product without a row uses Dpat.DEFAULTS.
CREATE TABLE dpat_settings (
    product        varchar(64)      PRIMARY KEY,
    enabled        boolean          NOT NULL,
    k              double precision NOT NULL CHECK (k > 0 AND k <= 50),
    min_population integer          NOT NULL CHECK (min_population >= 5),
    basis          varchar(8)       NOT NULL CHECK (basis IN ('LOT', 'WINDOW')),
    window_runs    integer          NOT NULL,
    updated_by     varchar(128)     NOT NULL,
    updated_at     timestamptz      NOT NULL DEFAULT now()
);
