-- Who did what: logins, logouts, deletes and tag removals.
CREATE TABLE IF NOT EXISTS audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,           -- Unix milliseconds
    username    TEXT    NOT NULL,
    client_ip   TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    action      TEXT    NOT NULL,           -- login, logout, delete, remove-tag
    repository  TEXT,
    tags        TEXT,                       -- comma-separated
    digest      TEXT,
    result      TEXT    NOT NULL,           -- ok, or why not
    detail      TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log (username, at);
CREATE INDEX IF NOT EXISTS audit_log_repository ON audit_log (repository, at);
