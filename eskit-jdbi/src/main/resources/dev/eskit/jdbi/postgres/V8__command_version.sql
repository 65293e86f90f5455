-- eskit-jdbi schema version 8: the schema version of each queued command's type, so that a command stored by an
-- older release is upcast when a worker reads it. Rows from before this version hold version 1.
ALTER TABLE ${q}command_queue ADD COLUMN command_version integer NOT NULL DEFAULT 1;
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (8, 'command versions in the command queue', CAST(CURRENT_TIMESTAMP AS TEXT));
