-- Berth's picture of the whole registry, kept fresh by the index sync and
-- the registry's notifications. A cache of the registry, never the
-- authority: deletes and retention check the registry itself.
--
-- Content is digest-addressed, so a manifest is fetched and described once
-- for the whole registry; only the tag -> digest mapping can move.

CREATE TABLE IF NOT EXISTS index_repositories (
    name      TEXT    PRIMARY KEY,
    -- When its tag list was last read from the registry (Unix ms).
    listed_ms BIGINT  NOT NULL,
    -- Names the tag list held that are not valid tags.
    skipped   BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS index_tags (
    repository TEXT    NOT NULL,
    tag        TEXT    NOT NULL,
    digest     TEXT    NOT NULL,
    -- When Berth first saw this tag at this digest: the push time for
    -- pushes it was told of, else the first sync that found it.
    since_ms   BIGINT  NOT NULL,
    -- The last time the registry confirmed the mapping (HEAD or event).
    checked_ms BIGINT  NOT NULL,
    PRIMARY KEY (repository, tag)
);
CREATE INDEX IF NOT EXISTS index_tags_digest ON index_tags (digest);

-- One row per manifest digest. `kind` is image, index, artifact,
-- signature, attestation, legacy or other.
CREATE TABLE IF NOT EXISTS index_manifests (
    digest        TEXT    PRIMARY KEY,
    media_type    TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    -- Length of the manifest itself (the registry stores it as a blob).
    bytes         BIGINT  NOT NULL,
    -- Config plus layers, as the manifest states them (images, artifacts).
    size          BIGINT,
    -- The image config's `created`, Unix seconds.
    created       BIGINT,
    platform      TEXT    NOT NULL DEFAULT '',
    -- "Helm chart web 1.2.0", or the artifact type.
    artifact      TEXT    NOT NULL DEFAULT '',
    artifact_type TEXT    NOT NULL DEFAULT '',
    -- OCI 1.1 `subject`: the manifest this one is about.
    subject       TEXT    NOT NULL DEFAULT '',
    indexed_ms    BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS index_manifests_kind ON index_manifests (kind);

-- What a manifest references, in its own order: `config` and `layer`
-- blobs, and for an index its `manifest` and `attestation` children.
-- `about` is the platform manifest an attestation is about.
CREATE TABLE IF NOT EXISTS index_edges (
    parent   TEXT    NOT NULL,
    position BIGINT  NOT NULL,
    child    TEXT    NOT NULL,
    role     TEXT    NOT NULL,
    size     BIGINT  NOT NULL,
    platform TEXT    NOT NULL DEFAULT '',
    about    TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (parent, position)
);
CREATE INDEX IF NOT EXISTS index_edges_child ON index_edges (child);

-- An image config's labels.
CREATE TABLE IF NOT EXISTS index_labels (
    digest TEXT NOT NULL,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (digest, key)
);
CREATE INDEX IF NOT EXISTS index_labels_key ON index_labels (key, value);

-- Each full sync: when, what it found, what it cost.
CREATE TABLE IF NOT EXISTS index_syncs (
    id           BIGSERIAL PRIMARY KEY,
    started_ms   BIGINT  NOT NULL,
    finished_ms  BIGINT  NOT NULL,
    repositories BIGINT  NOT NULL,
    tags         BIGINT  NOT NULL,
    fetched      BIGINT  NOT NULL,
    requests     BIGINT  NOT NULL,
    error        TEXT    NOT NULL DEFAULT ''
);

-- Content is shared by digest, presence is not: a platform manifest an
-- index names may be deleted from one repository and still be in another.
-- Children found missing in a repository are noted here.
CREATE TABLE IF NOT EXISTS index_missing (
    repository TEXT NOT NULL,
    digest     TEXT NOT NULL,
    PRIMARY KEY (repository, digest)
);

-- Search by platform: an image's own, and an index's platform children.
CREATE INDEX IF NOT EXISTS index_manifests_platform ON index_manifests (platform);
CREATE INDEX IF NOT EXISTS index_edges_platform ON index_edges (platform) WHERE role = 'manifest';
