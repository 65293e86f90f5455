-- eskit-jdbi schema version 6 for PostgreSQL: the command log and the durable command queue.
CREATE TABLE ${q}command_log (command_id text PRIMARY KEY, command_type text NOT NULL, stream_type text NOT NULL,
    stream_id text NOT NULL, payload text NOT NULL, correlation_id text, causation_id text, initiator text,
    originator text, extras text, outcome text NOT NULL, event_count integer NOT NULL, first_position text,
    last_position text, stream_version bigint NOT NULL, error text, started_at bigint NOT NULL,
    duration_micros bigint NOT NULL);
CREATE INDEX ${p}command_log_started ON ${q}command_log (started_at);
CREATE INDEX ${p}command_log_type ON ${q}command_log (command_type, started_at);
CREATE INDEX ${p}command_log_correlation ON ${q}command_log (correlation_id);
CREATE TABLE ${q}command_queue (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, command_type text NOT NULL,
    payload text, metadata text NOT NULL, partition_key text, status text NOT NULL,
    attempts integer NOT NULL, available_at bigint NOT NULL, claim_token text, claimed_by text, last_error text,
    result text, enqueued_at bigint NOT NULL, finished_at bigint);
CREATE INDEX ${p}command_queue_ready ON ${q}command_queue (status, available_at);
CREATE INDEX ${p}command_queue_partition ON ${q}command_queue (partition_key, seq);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (6, 'command log, command queue', CAST(CURRENT_TIMESTAMP AS TEXT));
