-- The node incarnation of the job's latest grant, which has (or had) the output of its run under `epoch`
-- (GET /api/jobs/{id}/output). Unlike owner_id it is never cleared: not by a release (pause, move, restart, drain)
-- nor by a rerun, so the output of the last run stays readable after the run ended.
ALTER TABLE job
    ADD COLUMN run_node_id CHAR(36) NULL;

-- jobs granted before this column existed: their owner is the best guess there is
UPDATE job SET run_node_id = owner_id WHERE epoch > 0;
