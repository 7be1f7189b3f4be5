-- Who did what: logins (ok and failed), logouts, deletes and tag removals.
-- A delete's row is written before the registry is asked ("started") and
-- finished after, so no delete happens without a row. Times are Unix
-- milliseconds; empty text means "not applicable".
CREATE TABLE IF NOT EXISTS audit_log (
    id         BIGSERIAL PRIMARY KEY,
    at_ms      BIGINT  NOT NULL,
    username   TEXT    NOT NULL,
    client_ip  TEXT    NOT NULL,
    request_id TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    repository TEXT    NOT NULL DEFAULT '',
    tags       TEXT    NOT NULL DEFAULT '',
    digest     TEXT    NOT NULL DEFAULT '',
    result     TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at_ms);
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log (username, at_ms);
CREATE INDEX IF NOT EXISTS audit_log_repository ON audit_log (repository, at_ms);
