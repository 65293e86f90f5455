-- eskit-jdbi schema version 10 for PostgreSQL: an index for reads of one stream type in log order (readStreamType,
-- the audit log filtered by stream type, a tenant view's readStreamType). Without it such a read walks the log's
-- primary key from its position and filters every row, however rare the type.
CREATE INDEX IF NOT EXISTS ${p}events_stream_type_log ON ${q}events (stream_type, tx, seq);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (10, 'stream type index', CAST(CURRENT_TIMESTAMP AS TEXT));
