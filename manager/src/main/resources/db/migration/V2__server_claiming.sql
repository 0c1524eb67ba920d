-- How many job messages the node held while claiming them, at its last snapshot: the resync counts them as
-- messages the broker still has (see "Resync" in docs/architecture.md).
ALTER TABLE server ADD COLUMN claiming INT NOT NULL DEFAULT 0;
