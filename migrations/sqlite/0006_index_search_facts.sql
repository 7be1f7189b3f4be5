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
) WITHOUT ROWID;

INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'kind:' || kind, digest FROM index_manifests;

-- Platforms at every level a term may name: os, os/arch, os/arch/variant.
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || platform, digest FROM index_manifests WHERE platform <> '';
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || platform, parent FROM index_edges WHERE role = 'manifest' AND platform <> '';
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || substr(platform, 1, instr(platform, '/') - 1), digest
    FROM index_manifests WHERE instr(platform, '/') > 1;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || substr(platform, 1, instr(platform, '/') - 1), parent
    FROM index_edges WHERE role = 'manifest' AND instr(platform, '/') > 1;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || substr(platform, 1, instr(platform, '/') + instr(substr(platform, instr(platform, '/') + 1), '/') - 1), digest
    FROM index_manifests WHERE instr(platform, '/') > 1 AND instr(substr(platform, instr(platform, '/') + 1), '/') > 1;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'platform:' || substr(platform, 1, instr(platform, '/') + instr(substr(platform, instr(platform, '/') + 1), '/') - 1), parent
    FROM index_edges WHERE role = 'manifest' AND instr(platform, '/') > 1 AND instr(substr(platform, instr(platform, '/') + 1), '/') > 1;

-- Labels, as `key=value` and as `key`: an image's own, and an index's
-- platform images'.
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'label:' || key || '=' || value, digest FROM index_labels
    WHERE length('label:' || key || '=' || value) <= 512;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'label:' || key, digest FROM index_labels WHERE length('label:' || key) <= 512;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'label:' || l.key || '=' || l.value, e.parent
    FROM index_edges e JOIN index_labels l ON l.digest = e.child
    WHERE e.role = 'manifest' AND length('label:' || l.key || '=' || l.value) <= 512;
INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'label:' || l.key, e.parent
    FROM index_edges e JOIN index_labels l ON l.digest = e.child
    WHERE e.role = 'manifest' AND length('label:' || l.key) <= 512;

INSERT OR IGNORE INTO index_facts (fact, digest)
    SELECT 'kind:helm', digest FROM index_manifests
    WHERE artifact_type = 'application/vnd.cncf.helm.config.v1+json';

-- Repository and tag names by substring: a trigram index over the tags
-- table's own text (external content, kept in step by the triggers), so
-- `LIKE '%term%'` need not read all the tags.
CREATE VIRTUAL TABLE IF NOT EXISTS index_tags_text
    USING fts5(repository, tag, content = 'index_tags', tokenize = 'trigram');
INSERT INTO index_tags_text (index_tags_text) VALUES ('rebuild');

CREATE TRIGGER IF NOT EXISTS index_tags_text_insert AFTER INSERT ON index_tags BEGIN
    INSERT INTO index_tags_text (rowid, repository, tag) VALUES (new.rowid, new.repository, new.tag);
END;
CREATE TRIGGER IF NOT EXISTS index_tags_text_delete AFTER DELETE ON index_tags BEGIN
    INSERT INTO index_tags_text (index_tags_text, rowid, repository, tag)
        VALUES ('delete', old.rowid, old.repository, old.tag);
END;
CREATE TRIGGER IF NOT EXISTS index_tags_text_update AFTER UPDATE OF repository, tag ON index_tags BEGIN
    INSERT INTO index_tags_text (index_tags_text, rowid, repository, tag)
        VALUES ('delete', old.rowid, old.repository, old.tag);
    INSERT INTO index_tags_text (rowid, repository, tag) VALUES (new.rowid, new.repository, new.tag);
END;
