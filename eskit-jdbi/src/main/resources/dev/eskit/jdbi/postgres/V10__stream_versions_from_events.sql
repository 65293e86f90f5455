-- eskit-jdbi schema version 10 for PostgreSQL: a stream's version is the highest version among its events (read from
-- the unique (stream_type, stream_id, version) index). PostgreSQL's appends still keep the streams row's version
-- column current (reading the highest version costs the server as much as the row's update, measured), so this
-- version changes nothing here; it is numbered with SQLite's, whose appends stopped writing the column.
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (10, 'stream versions from events', CAST(CURRENT_TIMESTAMP AS TEXT));
