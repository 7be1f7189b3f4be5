-- The dashboard's "recently pushed" reads the newest tag mappings first.
CREATE INDEX IF NOT EXISTS index_tags_since ON index_tags (since_ms);
