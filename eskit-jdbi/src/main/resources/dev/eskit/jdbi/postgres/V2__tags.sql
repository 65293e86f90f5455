-- eskit-jdbi schema version 2 for PostgreSQL: event tags and an event type index for Dynamic Consistency Boundary
-- queries.
CREATE TABLE ${q}tags (tag text NOT NULL, event_type text NOT NULL, tx xid8 NOT NULL, seq bigint NOT NULL,
    CONSTRAINT ${p}tags_pkey PRIMARY KEY (tag, event_type, tx, seq));
CREATE INDEX ${p}tags_seq ON ${q}tags (seq);
CREATE INDEX ${p}events_type ON ${q}events (event_type, tx, seq);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (2, 'event tags and an event type index for Dynamic Consistency Boundary queries', CAST(CURRENT_TIMESTAMP AS TEXT));
