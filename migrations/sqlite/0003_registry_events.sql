-- What the registry reported through its notifications: manifest pushes,
-- pulls and deletes (blob events are not kept). `event_id` is the
-- registry's own id, so a redelivered event is stored once.
CREATE TABLE IF NOT EXISTS registry_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    repository  TEXT    NOT NULL,
    tag         TEXT    NOT NULL DEFAULT '',
    digest      TEXT    NOT NULL DEFAULT '',
    media_type  TEXT    NOT NULL DEFAULT '',
    actor       TEXT    NOT NULL DEFAULT '',
    client_addr TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS registry_events_event_id ON registry_events (event_id);
CREATE INDEX IF NOT EXISTS registry_events_at ON registry_events (at_ms);
CREATE INDEX IF NOT EXISTS registry_events_repository ON registry_events (repository, at_ms);

-- Pulls per tag per day (days since 1970-01-01, UTC): "last pulled" and
-- "pulls in the last 30 days" without keeping every pull event for ever.
-- A pull by digest alone counts under the empty tag.
CREATE TABLE IF NOT EXISTS tag_pulls (
    repository TEXT    NOT NULL,
    tag        TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    pulls      INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    PRIMARY KEY (repository, tag, day)
);
