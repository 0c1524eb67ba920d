-- Roles of exec work (docs/architecture.md, "Roles"): a job whose work names roles runs once per role, each run on a
-- node of its own; the job itself plays its lead role, a child job each other role. The managers place all of a
-- job's role runs on nodes together, or none of them.
ALTER TABLE job
    -- the role this job's run plays; NULL for a job without roles
    ADD COLUMN role    VARCHAR(200) NULL,
    -- the job whose role runs this is one of (its own id for the job itself); NULL for a job without roles
    ADD COLUMN role_of CHAR(36)     NULL,
    ADD KEY ix_job_role_of (role_of);
