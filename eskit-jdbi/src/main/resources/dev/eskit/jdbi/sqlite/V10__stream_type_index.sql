-- eskit-jdbi schema version 10 for SQLite: an index for reads of one stream type in log order (readStreamType, the
-- audit log filtered by stream type, a tenant view's readStreamType). Without it such a read walks the log from its
-- position and filters every row, however rare the type.
CREATE INDEX IF NOT EXISTS ${p}events_stream_type_seq ON ${q}events (stream_type, seq);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (10, 'stream type index', CAST(CURRENT_TIMESTAMP AS TEXT));
