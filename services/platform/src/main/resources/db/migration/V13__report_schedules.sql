-- Reports made on a schedule: daily or weekly at a time of the plant's clock, each run a report job whose file is kept
-- keep_days (report_jobs.keep_until) and listed with its schedule. next_run_at is taken by one instance at a time
-- (SELECT ... FOR UPDATE SKIP LOCKED): two instances never make the same run twice.
CREATE TABLE report_schedules (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(200)  NOT NULL,
    operation   varchar(16)   NOT NULL,
    product     varchar(64),
    lot         varchar(64),
    station     varchar(64),
    raw_data    boolean       NOT NULL,
    cadence     varchar(8)    NOT NULL CHECK (cadence IN ('DAILY', 'WEEKLY')),
    day_of_week varchar(9)    CHECK (day_of_week IN ('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY')),
    at_local    time          NOT NULL,
    keep_days   integer       NOT NULL CHECK (keep_days BETWEEN 1 AND 3650),
    created_by  varchar(128)  NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    next_run_at timestamptz   NOT NULL,
    last_run_at timestamptz,
    CONSTRAINT report_schedules_weekly_day CHECK (cadence = 'DAILY' OR day_of_week IS NOT NULL)
);
CREATE INDEX report_schedules_due_idx ON report_schedules (next_run_at);

-- A scheduled run's job: its schedule, and until when its file is kept (instead of cpo.platform.reports.job-retention).
ALTER TABLE report_jobs ADD COLUMN schedule_id bigint REFERENCES report_schedules (id) ON DELETE SET NULL;
ALTER TABLE report_jobs ADD COLUMN keep_until timestamptz;
ALTER TABLE report_jobs ADD COLUMN period_from timestamptz;
ALTER TABLE report_jobs ADD COLUMN period_to timestamptz;
CREATE INDEX report_jobs_schedule_idx ON report_jobs (schedule_id, created_at) WHERE schedule_id IS NOT NULL;
