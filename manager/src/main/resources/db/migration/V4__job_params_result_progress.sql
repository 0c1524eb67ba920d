-- A job's structured input and output, its run timeout, and its runs' last progress; all optional (NULL: none).
-- JSON is kept as text: MariaDB's JSON type is LONGTEXT under another name, and nothing queries inside it.
ALTER TABLE job
    -- the job's params as JSON text, at most 64 KiB (checked by the API)
    ADD COLUMN params           LONGTEXT      NULL,
    -- what the handler ended the job with, as JSON text, at most 64 KiB (checked by the node)
    ADD COLUMN result           LONGTEXT      NULL,
    -- how long one run may last before the node stops it and counts a failure, in milliseconds
    ADD COLUMN timeout_ms       BIGINT        NULL,
    -- the last progress a run reported (JobContext.progress), written with the snapshot that carried it
    ADD COLUMN progress_done    BIGINT        NULL,
    ADD COLUMN progress_total   BIGINT        NULL,
    ADD COLUMN progress_message VARCHAR(1000) NULL,
    -- when the handler reported it, on its node's clock
    ADD COLUMN progress_at      DATETIME(3)   NULL;
