-- Retention policies written in the admin form, as TOML in the shape of a
-- policy file's [[policy]] table (file policies are not stored).
CREATE TABLE IF NOT EXISTS retention_policies (
    name        TEXT    PRIMARY KEY,
    spec        TEXT    NOT NULL,
    updated_ms  INTEGER  NOT NULL,
    updated_by  TEXT    NOT NULL
);

-- Every dry run and apply made from the admin page or by a schedule, with
-- its report (JSON), kept to be read later. A scheduled run's `claim`
-- names its policy and time: the replica whose insert wins runs it, so
-- replicas sharing the database run each scheduled time once.
CREATE TABLE IF NOT EXISTS retention_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    policy       TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    cause        TEXT    NOT NULL,
    claim        TEXT    UNIQUE,
    actor        TEXT    NOT NULL,
    started_ms   INTEGER  NOT NULL,
    heartbeat_ms INTEGER  NOT NULL,
    finished_ms  INTEGER,
    status       TEXT    NOT NULL,
    plan_hash    TEXT    NOT NULL DEFAULT '',
    total        INTEGER  NOT NULL DEFAULT 0,
    deleted      INTEGER  NOT NULL DEFAULT 0,
    failed       INTEGER  NOT NULL DEFAULT 0,
    report       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS retention_runs_started ON retention_runs (started_ms);
