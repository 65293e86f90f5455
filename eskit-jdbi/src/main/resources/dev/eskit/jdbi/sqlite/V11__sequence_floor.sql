-- eskit-jdbi schema version 11 for SQLite: the events table without AUTOINCREMENT and without the event type index,
-- and the sequence floor. AUTOINCREMENT wrote its counter row (sqlite_sequence) on every commit, and the index one
-- more entry: two more pages a commit. Type-filtered reads scan the log by position instead and remember how far they
-- scanned; a store that runs Dynamic Consistency Boundary queries by type without tags asks for the index back
-- (JdbiEventStore.Builder.eventTypeIndex). Appends now give each
-- event its sequence number themselves: one above the highest in the table or the floor, whichever is higher. The
-- floor is raised to the highest sequence number before events are deleted, so a number is never given twice, as
-- AUTOINCREMENT promised. SQLite cannot drop AUTOINCREMENT from a table, so the events are copied into a new table
-- (the file needs room for a second copy of them while this runs; the old table's pages are free afterwards).
CREATE TABLE ${q}seq_floor (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT INTO ${q}seq_floor (id, seq) SELECT 1, max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = '${p}events'), 0),
    coalesce((SELECT max(seq) FROM ${q}events), 0));
CREATE TABLE ${q}events_v11 (seq INTEGER NOT NULL PRIMARY KEY, id BLOB NOT NULL, stream_type TEXT NOT NULL,
    stream_id TEXT NOT NULL, version INTEGER NOT NULL, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    created_at INTEGER NOT NULL, metadata BLOB, data BLOB NOT NULL, codec TEXT NOT NULL DEFAULT 'json');
INSERT INTO ${q}events_v11 (seq, id, stream_type, stream_id, version, event_type, schema_version, created_at,
    metadata, data, codec)
    SELECT seq, id, stream_type, stream_id, version, event_type, schema_version, created_at, metadata, data, codec
    FROM ${q}events ORDER BY seq;
DROP TABLE ${q}events;
ALTER TABLE ${q}events_v11 RENAME TO ${p}events;
CREATE UNIQUE INDEX ${p}events_stream_version ON ${q}events (stream_type, stream_id, version);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (11, 'events without AUTOINCREMENT or type index, sequence floor', CAST(CURRENT_TIMESTAMP AS TEXT));
