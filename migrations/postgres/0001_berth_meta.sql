-- Facts about this database itself, such as the check that tells whether
-- a process holds the secret key the stored sessions were sealed with.
CREATE TABLE IF NOT EXISTS berth_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
