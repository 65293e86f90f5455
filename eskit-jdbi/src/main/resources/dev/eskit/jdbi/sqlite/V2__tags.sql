-- eskit-jdbi schema version 2 for SQLite: event tags and an event type index for Dynamic Consistency Boundary queries.
CREATE TABLE ${q}tags (tag TEXT NOT NULL, event_type TEXT NOT NULL, seq INTEGER NOT NULL,
    PRIMARY KEY (tag, event_type, seq)) WITHOUT ROWID;
CREATE INDEX ${p}tags_seq ON ${q}tags (seq);
CREATE INDEX ${p}events_type ON ${q}events (event_type, seq);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (2, 'event tags and an event type index for Dynamic Consistency Boundary queries', CAST(CURRENT_TIMESTAMP AS TEXT));
