-- eskit-jdbi schema version 5: the format of each event's data ('json' or 'cbor'), so one store can hold both.
-- Rows written before version 5 are JSON. A constant default: no table rewrite on PostgreSQL 11+ nor SQLite.
ALTER TABLE ${q}events ADD COLUMN codec TEXT NOT NULL DEFAULT 'json';
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (5, 'per-row event codec', CAST(CURRENT_TIMESTAMP AS TEXT));
