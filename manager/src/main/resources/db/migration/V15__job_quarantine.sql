-- Crash-loop quarantine (docs/architecture.md, "Crash-loop quarantine"). V14 is taken by another change.
ALTER TABLE job
    -- when the job's runs ended with a node death counted against it, epoch milliseconds, comma-separated,
    -- oldest first; only those within orchestr.quarantine.window are kept. NULL for none
    ADD COLUMN node_deaths  VARCHAR(1000) NULL,
    -- true while the job is Paused because of those deaths; a resume or rerun clears it and node_deaths
    ADD COLUMN quarantined  BOOLEAN       NOT NULL DEFAULT FALSE;

-- The grants a dead node incarnation had just before it died: a death counts against a job only when its run
-- was the node's only recent grant, which this reads once per dead node
ALTER TABLE job_event
    ADD KEY ix_job_event_server (server_id, kind, at);
