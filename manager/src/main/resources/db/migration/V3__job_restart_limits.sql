-- A job's own restart limits, both optional (NULL: none). They travel in the job's message; the node applies them.
ALTER TABLE job
    -- how often the node may restart the handler under one grant before the job ends for good
    ADD COLUMN max_restarts         INT    NULL,
    -- how long a run may go without a heartbeat before the node stops it as hung, in milliseconds
    ADD COLUMN heartbeat_timeout_ms BIGINT NULL;
