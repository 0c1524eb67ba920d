-- Rebalancing on join (docs/architecture.md, "Rebalancing"). V16 is taken by another change.
ALTER TABLE job
    -- true: the rebalancer never moves the job (an operator's move still does)
    ADD COLUMN sticky BOOLEAN NOT NULL DEFAULT FALSE;

-- The one row every manager's rebalancer locks (FOR UPDATE SKIP LOCKED), so that one manager at a time decides and
-- asks for moves, and the others skip their turn. round numbers the current rebalance: it ends, and the next
-- begins, when a look finds nothing left to move.
CREATE TABLE rebalance (
    id    TINYINT NOT NULL,
    round BIGINT  NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO rebalance (id, round) VALUES (1, 1);

-- Every move the rebalancer asked for, counted when asked: the jobs moved in the current round (each at most once
-- per round) and the moves of the last minute (orchestr.rebalance.max-moves-per-minute). Rows of earlier rounds
-- older than a minute are deleted.
CREATE TABLE rebalance_move (
    round    BIGINT      NOT NULL,
    job_id   CHAR(36)    NOT NULL,
    asked_at DATETIME(3) NOT NULL,
    PRIMARY KEY (round, job_id),
    KEY ix_rebalance_move_asked (asked_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
