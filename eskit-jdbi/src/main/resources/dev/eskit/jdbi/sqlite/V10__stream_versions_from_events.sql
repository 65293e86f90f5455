-- eskit-jdbi schema version 10 for SQLite: a stream's version is the highest version among its events (read from the
-- unique (stream_type, stream_id, version) index), no longer the version column of its streams row, which appends
-- stop writing: the row is written when the stream is created (version 0) and when its status changes. No table
-- changes: the version marks the rule, so that a release before it, which would trust the column, refuses these
-- tables.
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (10, 'stream versions from events', CAST(CURRENT_TIMESTAMP AS TEXT));
