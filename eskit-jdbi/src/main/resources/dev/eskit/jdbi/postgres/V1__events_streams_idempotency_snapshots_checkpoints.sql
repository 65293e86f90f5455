-- eskit-jdbi schema version 1 for PostgreSQL: events, streams, idempotency keys, snapshots, checkpoints.
-- Placeholders: ${q} is the schema and table prefix ("public.eskit_" by default), ${p} the bare prefix for
-- constraint and index names. The schema must exist.
CREATE TABLE IF NOT EXISTS ${q}schema_migrations (version INTEGER NOT NULL PRIMARY KEY,
    description TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE SEQUENCE ${q}events_seq AS bigint;
CREATE TABLE ${q}events (tx xid8 NOT NULL DEFAULT pg_current_xact_id(), seq bigint NOT NULL, id uuid NOT NULL,
    stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL, event_type text NOT NULL,
    schema_version integer NOT NULL, created_at timestamptz NOT NULL, metadata bytea, data bytea NOT NULL,
    CONSTRAINT ${p}events_pkey PRIMARY KEY (tx, seq),
    CONSTRAINT ${p}events_stream_version UNIQUE (stream_type, stream_id, version));
ALTER SEQUENCE ${q}events_seq OWNED BY ${q}events.seq;
CREATE TABLE ${q}streams (stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,
    status smallint NOT NULL DEFAULT 0, CONSTRAINT ${p}streams_pkey PRIMARY KEY (stream_type, stream_id));
CREATE TABLE ${q}idempotency (idempotency_key text NOT NULL, stream_type text NOT NULL, stream_id text NOT NULL,
    first_version bigint NOT NULL, last_version bigint NOT NULL, created_at timestamptz NOT NULL,
    CONSTRAINT ${p}idempotency_pkey PRIMARY KEY (idempotency_key));
CREATE INDEX ${p}idempotency_stream ON ${q}idempotency (stream_type, stream_id);
CREATE TABLE ${q}snapshots (stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,
    state_schema text NOT NULL, data bytea NOT NULL, created_at timestamptz NOT NULL,
    CONSTRAINT ${p}snapshots_pkey PRIMARY KEY (stream_type, stream_id));
CREATE TABLE ${q}checkpoints (name text NOT NULL, commit_order bigint NOT NULL, sequence bigint NOT NULL,
    updated_at timestamptz NOT NULL, CONSTRAINT ${p}checkpoints_pkey PRIMARY KEY (name));
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (1, 'events, streams, idempotency keys, snapshots, checkpoints', CAST(CURRENT_TIMESTAMP AS TEXT));
