-- When the job's owner last listed it in a snapshot as held under its current grant. The resync counts a job
-- seen lately as held by its node; every other active job must have its message waiting in the queue.
ALTER TABLE job ADD COLUMN seen_at DATETIME(3) NULL;
