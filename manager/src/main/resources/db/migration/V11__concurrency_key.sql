-- Concurrency keys: at most a key's limit of its jobs hold a place (run, or are queued to run) at once, across all
-- managers and nodes; the others wait Queued and unpublished, in creation order, until a place frees.
ALTER TABLE job
    -- NULL: no key; at most 200 characters, no control or format characters (checked by the API)
    ADD COLUMN concurrency_key       VARCHAR(200) NULL,
    -- the limit the job asked for (1 by default); the key's own limit is concurrency_key.job_limit
    ADD COLUMN concurrency_limit     INT          NULL,
    -- TRUE once the job was given a place of its key; it holds the place while it is Queued, Processing, Pausing
    -- or Deleting. A resume or rerun sets it FALSE again: the job waits for a place anew
    ADD COLUMN concurrency_admitted  BOOLEAN      NOT NULL DEFAULT FALSE,
    -- the job's place in the key's line: when it joined it (created, resumed, rerun) in milliseconds times 1,000 plus
    -- its place in its request, so that the jobs of one batch, created in the same millisecond, keep their order
    ADD COLUMN concurrency_order     BIGINT       NULL,
    -- a key's holders and its line
    ADD KEY ix_job_concurrency (concurrency_key, status, concurrency_admitted, concurrency_order),
    -- the keys that have waiting jobs, for the republisher's sweep: a range over the waiting jobs only
    ADD KEY ix_job_waiting (status, concurrency_admitted, concurrency_key);

-- One row per key that has active jobs: the row every admission locks (an upsert), so that the managers
-- admit the jobs of one key one at a time, and the key's limit, that of its oldest active job when the row
-- was made. seen_order is the newest line place of an active job that an admission saw: when no active job is that
-- old any more, every job the row knew is gone (no job of the key was active for a while), and the next admission
-- takes its oldest active job's limit again. The republisher's sweep deletes rows no active job needs.
CREATE TABLE concurrency_key (
    name       VARCHAR(200) NOT NULL,
    job_limit  INT          NOT NULL,
    seen_order BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
