-- Version-aware placement (docs/architecture.md, "Version-aware placement").
ALTER TABLE server
    -- the job types the node has handlers for, a JSON array of names (a type may hold a comma); NULL for nodes
    -- that predate it, whose types are not known
    ADD COLUMN job_types TEXT NULL;
ALTER TABLE job
    -- true once a node that does not run the job's type claimed it: until its next grant the managers place it on
    -- a node of its pool that runs its type, instead of publishing it to the pool's queue
    ADD COLUMN placed_by_type BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX job_placed_by_type ON job (placed_by_type, status);
