-- eskit-jdbi schema version 11 for PostgreSQL: nothing changes here. On SQLite this version copies the events into a
-- table without AUTOINCREMENT or event type index and keeps a sequence floor; PostgreSQL's sequence never gives a
-- number twice and costs no page of the table's, and its (event_type, tx, seq) index stays.
-- The version is numbered with SQLite's.
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (11, 'events without AUTOINCREMENT or type index, sequence floor', CAST(CURRENT_TIMESTAMP AS TEXT));
