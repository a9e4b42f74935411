-- Report jobs live in the database, so any service instance answers for any job: the instance that took the request
-- builds the workbook in a local temporary file, then stores it here in 1 MB chunks in the transaction that marks the
-- job DONE (and deletes the file). While it builds, it refreshes heartbeat_at every 2 s; a job whose heartbeat is older
-- than a minute lost its instance, and another instance marks it FAILED with that reason. Finished jobs are deleted
-- cpo.platform.reports.job-retention after they finish, their chunks with them.
CREATE TABLE report_jobs (
    id               text PRIMARY KEY,
    state            text        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    raw_rows_total   bigint      NOT NULL,
    raw_rows_written bigint      NOT NULL DEFAULT 0,
    file_name        text        NOT NULL,
    size_bytes       bigint,
    error            text,
    instance         text        NOT NULL,
    heartbeat_at     timestamptz NOT NULL
);
-- the sweep's two questions: open jobs by heartbeat, finished jobs by age
CREATE INDEX report_jobs_open_idx ON report_jobs (heartbeat_at) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX report_jobs_finished_idx ON report_jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE report_job_chunks (
    job_id text  NOT NULL REFERENCES report_jobs (id) ON DELETE CASCADE,
    seq    int   NOT NULL,
    bytes  bytea NOT NULL,
    PRIMARY KEY (job_id, seq)
);
