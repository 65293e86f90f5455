-- eskit-jdbi schema version 3 for SQLite: todo items, dead letters, GDPR subject keys.
-- IF NOT EXISTS: releases before version 3 created these tables on first use.
CREATE TABLE IF NOT EXISTS ${q}todo (list text NOT NULL, id text NOT NULL, payload text NOT NULL,
    status text NOT NULL, attempts integer NOT NULL, available_at bigint NOT NULL, last_error text,
    created_at bigint NOT NULL, claim_token text, claimed_by text, PRIMARY KEY (list, id));
CREATE INDEX IF NOT EXISTS ${p}todo_ready ON ${q}todo (list, status, available_at);
CREATE TABLE IF NOT EXISTS ${q}dead_letters (id text PRIMARY KEY, subscription text NOT NULL,
    event_id text NOT NULL, stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,
    event_type text NOT NULL, commit_order bigint NOT NULL, sequence bigint NOT NULL, attempts integer NOT NULL,
    error text NOT NULL, first_failed_at bigint NOT NULL, last_failed_at bigint NOT NULL);
CREATE INDEX IF NOT EXISTS ${p}dead_letters_subscription ON ${q}dead_letters (subscription, commit_order, sequence);
CREATE TABLE IF NOT EXISTS ${q}subject_keys (subject_id TEXT NOT NULL, key_version INTEGER NOT NULL,
    master_key_id TEXT NOT NULL, wrapped_key BLOB NOT NULL, PRIMARY KEY (subject_id, key_version));
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (3, 'todo items, dead letters, subject keys', CAST(CURRENT_TIMESTAMP AS TEXT));
