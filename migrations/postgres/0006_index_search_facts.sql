-- Search without scanning every tag.
--
-- `index_facts` holds what `label:`, `platform:` and `kind:` terms ask
-- about, one row per fact and manifest, so a term is one range of an index
-- instead of a set built from labels and edges at query time. An index
-- carries its platform images' labels and platforms too. Content never
-- changes under a digest, so the rows are written once, with the manifest
-- (src/store/index_facts.rs); this migration fills them for the manifests
-- already described. Facts longer than 512 characters are left out (their
-- terms fall back to the tables).
CREATE TABLE IF NOT EXISTS index_facts (
    fact   TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (fact, digest)
);

INSERT INTO index_facts (fact, digest)
    SELECT 'kind:' || kind, digest FROM index_manifests
    ON CONFLICT DO NOTHING;

-- Platforms at every level a term may name: os, os/arch, os/arch/variant.
INSERT INTO index_facts (fact, digest)
    SELECT 'platform:' || platform, digest FROM index_manifests WHERE platform <> ''
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'platform:' || platform, parent FROM index_edges WHERE role = 'manifest' AND platform <> ''
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'platform:' || split_part(platform, '/', 1), digest
    FROM index_manifests WHERE split_part(platform, '/', 2) <> '' AND split_part(platform, '/', 1) <> ''
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'platform:' || split_part(platform, '/', 1), parent
    FROM index_edges WHERE role = 'manifest' AND split_part(platform, '/', 2) <> '' AND split_part(platform, '/', 1) <> ''
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'platform:' || split_part(platform, '/', 1) || '/' || split_part(platform, '/', 2), digest
    FROM index_manifests
    WHERE split_part(platform, '/', 1) <> '' AND split_part(platform, '/', 2) <> '' AND split_part(platform, '/', 3) <> ''
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'platform:' || split_part(platform, '/', 1) || '/' || split_part(platform, '/', 2), parent
    FROM index_edges
    WHERE role = 'manifest' AND split_part(platform, '/', 1) <> '' AND split_part(platform, '/', 2) <> ''
      AND split_part(platform, '/', 3) <> ''
    ON CONFLICT DO NOTHING;

-- Labels, as `key=value` and as `key`: an image's own, and an index's
-- platform images'.
INSERT INTO index_facts (fact, digest)
    SELECT 'label:' || key || '=' || value, digest FROM index_labels
    WHERE length('label:' || key || '=' || value) <= 512
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT 'label:' || key, digest FROM index_labels WHERE length('label:' || key) <= 512
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'label:' || l.key || '=' || l.value, e.parent
    FROM index_edges e JOIN index_labels l ON l.digest = e.child
    WHERE e.role = 'manifest' AND length('label:' || l.key || '=' || l.value) <= 512
    ON CONFLICT DO NOTHING;
INSERT INTO index_facts (fact, digest)
    SELECT DISTINCT 'label:' || l.key, e.parent
    FROM index_edges e JOIN index_labels l ON l.digest = e.child
    WHERE e.role = 'manifest' AND length('label:' || l.key) <= 512
    ON CONFLICT DO NOTHING;

INSERT INTO index_facts (fact, digest)
    SELECT 'kind:helm', digest FROM index_manifests
    WHERE artifact_type = 'application/vnd.cncf.helm.config.v1+json'
    ON CONFLICT DO NOTHING;

-- Names by substring stay a scan of the tags here (`ILIKE`); a trigram
-- index would need the pg_trgm extension, which not every operator may
-- install.
