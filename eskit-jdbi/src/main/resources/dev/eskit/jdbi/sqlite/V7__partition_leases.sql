-- eskit-jdbi schema version 7 for SQLite: partition leases and node heartbeats of partitioned subscriptions.
-- Times are milliseconds since the epoch by the database's clock, so nodes need no synchronised clocks.
CREATE TABLE IF NOT EXISTS ${q}partition_leases (subscription text NOT NULL, part integer NOT NULL,
    partitions integer NOT NULL, owner text, token bigint NOT NULL, expires_at bigint NOT NULL,
    PRIMARY KEY (subscription, part));
CREATE INDEX IF NOT EXISTS ${p}partition_leases_owner ON ${q}partition_leases (subscription, owner);
CREATE TABLE IF NOT EXISTS ${q}partition_nodes (subscription text NOT NULL, node text NOT NULL,
    expires_at bigint NOT NULL, PRIMARY KEY (subscription, node));
INSERT INTO ${q}schema_migrations (version, description, applied_at)
    VALUES (7, 'partition leases and node heartbeats', CAST(CURRENT_TIMESTAMP AS TEXT));
