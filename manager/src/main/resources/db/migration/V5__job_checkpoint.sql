-- A job's last checkpoint (JobContext.checkpoint): the state its runs stored, which every later run reads.
ALTER TABLE job
    -- the state as JSON text, at most 64 KiB (checked by the node and the manager); NULL: none stored
    ADD COLUMN checkpoint       LONGTEXT    NULL,
    -- when the manager stored it, on the manager's clock
    ADD COLUMN checkpoint_at    DATETIME(3) NULL,
    -- the grant (epoch) and the node's id of the checkpoint (growing within a node incarnation) that wrote it:
    -- a checkpoint of the same grant that arrives late, older than the stored one, never replaces it
    ADD COLUMN checkpoint_epoch BIGINT      NULL,
    ADD COLUMN checkpoint_seq   BIGINT      NULL;
