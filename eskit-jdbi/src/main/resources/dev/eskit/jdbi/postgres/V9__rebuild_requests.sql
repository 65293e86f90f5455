-- eskit-jdbi schema version 9 for PostgreSQL: shadow rebuild requests (eskit projections rebuild --shadow) that
-- application nodes claim with a lease, run, and report progress and outcome on. Times are milliseconds since the
-- epoch by the database's clock.
CREATE TABLE IF NOT EXISTS ${q}rebuild_requests (projection text PRIMARY KEY, state text NOT NULL,
    node text, attempts integer NOT NULL, expires_at bigint NOT NULL, tables text NOT NULL,
    remaining bigint NOT NULL, events_per_second double precision NOT NULL, eta_millis bigint,
    message text, updated_at bigint NOT NULL);
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (9, 'shadow rebuild requests', CAST(CURRENT_TIMESTAMP AS TEXT));
