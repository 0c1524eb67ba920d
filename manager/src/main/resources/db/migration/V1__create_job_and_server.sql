-- Jobs: one row per job ever created. A job's name is unique among the jobs that are not Deleted: active_name
-- holds the name while the job is not Deleted and NULL once it is, and a UNIQUE index ignores NULLs.
CREATE TABLE job (
    id                CHAR(36)     NOT NULL,
    name              VARCHAR(200) NOT NULL,
    active_name       VARCHAR(200) NULL,
    argument          MEDIUMTEXT   NOT NULL,
    type              VARCHAR(100) NOT NULL,
    pool              VARCHAR(64)  NOT NULL,
    restart_mode      VARCHAR(16)  NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    -- the node incarnation of the latest grant; no foreign key: a grant may come before the node's first snapshot
    owner_id          CHAR(36)     NULL,
    -- grows by one with every grant to a new incarnation; fences stale runs
    epoch             BIGINT       NOT NULL DEFAULT 0,
    -- true once the broker confirmed the job's message; the republisher publishes the rest
    published         BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at        DATETIME(3)  NOT NULL,
    modified_at       DATETIME(3)  NOT NULL,
    started_at        DATETIME(3)  NULL,
    last_heartbeat_at DATETIME(3)  NULL,
    restarts          INT          NOT NULL DEFAULT 0,
    last_error        TEXT         NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_job_active_name (active_name),
    KEY ix_job_status_created (status, created_at),
    KEY ix_job_name (name),
    KEY ix_job_pool_status (pool, status),
    KEY ix_job_owner_status (owner_id, status),
    KEY ix_job_unpublished (published, status, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Servers: one row per node incarnation (a node that reconnects is a new one), kept up to date by its snapshots.
CREATE TABLE server (
    id                CHAR(36)      NOT NULL,
    name              VARCHAR(200)  NOT NULL,
    max_workers       INT           NOT NULL,
    -- comma-separated pool names
    pools             TEXT          NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    created_at        DATETIME(3)   NOT NULL,
    modified_at       DATETIME(3)   NOT NULL,
    last_heartbeat_at DATETIME(3)   NULL,
    -- set when the incarnation left cleanly: it never comes back
    deleted           BOOLEAN       NOT NULL DEFAULT FALSE,
    PRIMARY KEY (id),
    KEY ix_server_status_heartbeat (status, last_heartbeat_at),
    KEY ix_server_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
