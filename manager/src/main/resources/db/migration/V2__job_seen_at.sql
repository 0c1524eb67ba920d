-- What the resync compares with the job queues (see "Resync" in docs/architecture.md).
-- When the job's owner last listed it in a snapshot as running under its current grant.
ALTER TABLE job ADD COLUMN seen_at DATETIME(3) NULL;
-- How many job messages the node held while claiming them, at its last snapshot.
ALTER TABLE server ADD COLUMN claiming INT NOT NULL DEFAULT 0;
