-- eskit-jdbi schema version 4 for SQLite: why and when a stream was tombstoned.
-- Streams tombstoned before version 4 keep NULL in both columns (reason and time unknown).
ALTER TABLE ${q}streams ADD COLUMN tombstone_reason TEXT;
ALTER TABLE ${q}streams ADD COLUMN tombstoned_at INTEGER;
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (4, 'tombstone reason and time', CAST(CURRENT_TIMESTAMP AS TEXT));
