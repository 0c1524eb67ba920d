-- Exec jobs (docs/architecture.md, "Exec jobs: spec and routing"): what a node incarnation says it runs.
ALTER TABLE server
    -- true when the node runs exec jobs (consumes its pools' exec queues); false for nodes that predate them
    ADD COLUMN exec  BOOLEAN NOT NULL DEFAULT FALSE,
    -- the roles of exec work the node serves, comma-separated; empty for every role
    ADD COLUMN roles TEXT    NOT NULL DEFAULT '';
