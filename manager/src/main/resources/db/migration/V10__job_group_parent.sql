-- Fan-out and controllers: the label the runs of one fan-out share, each run's place in it, and the job that
-- created a job. Bulk actions (POST /api/jobs/bulk) and the job list select by the first and the last.
ALTER TABLE job
    -- NULL: in no group; at most 200 characters, no control or format characters (checked by the API)
    ADD COLUMN job_group   VARCHAR(200) NULL,
    -- the job's place in its group, 0 or more; NULL outside a group
    ADD COLUMN group_index INT          NULL,
    -- the job that created this one; no foreign key: a parent may be purged before its children
    ADD COLUMN parent_id   CHAR(36)     NULL,
    ADD KEY ix_job_group (job_group, group_index),
    ADD KEY ix_job_parent (parent_id);
