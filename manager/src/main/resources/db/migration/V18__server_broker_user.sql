-- Trusted senders (docs/architecture.md, "Trusted senders"): the broker user whose messages speak for a node
-- incarnation, the user-id of the first message a manager took from it; messages about the incarnation from any
-- other user are ignored. NULL until a manager bound it (and for rows older than this column).
ALTER TABLE server
    ADD COLUMN broker_user VARCHAR(255) NULL;
