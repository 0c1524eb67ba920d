-- How often a job was edited (PATCH /api/jobs/{id}). Its message carries the revision it was made from; a message
-- waiting in its queue may predate an edit, so the grant of a job edited at least once carries the job as it is now.
ALTER TABLE job ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
-- The retention sweep purges ended jobs by their last change.
CREATE INDEX ix_job_status_modified ON job (status, modified_at);
-- The republisher looks for unpublished jobs by their last change, not their creation: a rerun job is published
-- again long after it was created, and must get the same few seconds to publish itself first.
ALTER TABLE job DROP INDEX ix_job_unpublished, ADD INDEX ix_job_unpublished (published, status, modified_at);
