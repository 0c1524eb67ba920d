-- A job's history (GET /api/jobs/{id}/events): what happened to it, in the order the managers recorded it.
-- Written in the transaction of the decision it records, so the history never claims what did not commit.
CREATE TABLE job_event (
    -- grows in the order events are recorded; a job's events are recorded under its row's lock, so their ids
    -- order them as they happened to the job, whatever the managers' clocks say
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    -- purging a job (retention) removes its history with it
    job_id      CHAR(36)     NOT NULL,
    -- when the recording manager decided or learned it, on that manager's clock; never a node's clock
    at          DATETIME(3)  NOT NULL,
    -- the wire name (JobEventKind): created, granted, started, stopped, completed, ...
    kind        VARCHAR(32)  NOT NULL,
    -- the node incarnation concerned, and its name when its server row was known; no foreign key: a grant may
    -- come before the node's first snapshot
    server_id   CHAR(36)     NULL,
    server_name VARCHAR(100) NULL,
    -- the grant concerned
    epoch       BIGINT       NULL,
    -- who asked: "api <address>" for REST calls, "node <id>" for what a node reported; NULL: the manager itself
    actor       VARCHAR(200) NULL,
    -- why, in words, at most 1,000 characters
    detail      VARCHAR(1000) NULL,
    PRIMARY KEY (id),
    -- a job's page, oldest first, and its trimming to the last events
    KEY ix_job_event_job (job_id, id),
    -- a job's grants and run ends alone, for the overlap check at each grant: a job that checkpoints often has
    -- hundreds of other events, which the check need not read
    KEY ix_job_event_run (job_id, kind, id),
    CONSTRAINT fk_job_event_job FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The epoch of the job's run that its node first reported running (the `started` event): a snapshot records
-- `started` only for a run whose epoch is newer than this, so the check costs no read of the history.
ALTER TABLE job
    ADD COLUMN started_epoch BIGINT NULL;
