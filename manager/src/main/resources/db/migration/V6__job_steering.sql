-- Steering a running job (pause, restart, move): what its owner's release leads to, and where a move puts it.
ALTER TABLE job
    -- RESTART or MOVE while the owner is asked to release the job's run; NULL otherwise (a pause is the status
    -- Pausing). The owner's release then queues the job again, or the grant to a new owner clears it.
    ADD COLUMN steer     VARCHAR(16) NULL,
    -- the node incarnation the job's next run must start on (a move): its message goes to that node's own queue,
    -- and claims from other nodes are dropped while that node lives; NULL: any node of the pool
    ADD COLUMN placed_on CHAR(36)    NULL;
