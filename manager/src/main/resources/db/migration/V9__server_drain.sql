-- Drain (docs/architecture.md, "Drain"): what the managers want of a node incarnation, and what it reports.
ALTER TABLE server
    -- true while the node is asked to take no job and hand back those it holds; a new row of a node that reports
    -- a drain (it reconnected drained) starts true
    ADD COLUMN drain          BOOLEAN     NOT NULL DEFAULT FALSE,
    -- the sequence number of the last drain ask, the managers' or the node's own: the newer one wins
    ADD COLUMN drain_seq      BIGINT      NOT NULL DEFAULT 0,
    -- the node's drain state in its last snapshot (ACTIVE, DRAINING, DRAINED); NULL for nodes that predate drains
    ADD COLUMN drain_reported VARCHAR(16) NULL;
