-- eskit-jdbi schema version 1 for SQLite: events, streams, idempotency keys, snapshots, checkpoints.
-- Placeholders: ${q} is the table prefix ("eskit_" by default), ${p} the same prefix for index names.
CREATE TABLE IF NOT EXISTS ${q}schema_migrations (version INTEGER NOT NULL PRIMARY KEY,
    description TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE ${q}events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL, stream_type TEXT NOT NULL,
    stream_id TEXT NOT NULL, version INTEGER NOT NULL, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL, metadata BLOB, data BLOB NOT NULL);
CREATE UNIQUE INDEX ${p}events_stream_version ON ${q}events (stream_type, stream_id, version);
CREATE TABLE ${q}streams (stream_type TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    status INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (stream_type, stream_id)) WITHOUT ROWID;
CREATE TABLE ${q}idempotency (idempotency_key TEXT NOT NULL PRIMARY KEY, stream_type TEXT NOT NULL,
    stream_id TEXT NOT NULL, first_version INTEGER NOT NULL, last_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX ${p}idempotency_stream ON ${q}idempotency (stream_type, stream_id);
CREATE TABLE ${q}snapshots (stream_type TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    state_schema TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (stream_type, stream_id)) WITHOUT ROWID;
CREATE TABLE ${q}checkpoints (name TEXT NOT NULL PRIMARY KEY, commit_order INTEGER NOT NULL,
    sequence INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (1, 'events, streams, idempotency keys, snapshots, checkpoints', CAST(CURRENT_TIMESTAMP AS TEXT));
