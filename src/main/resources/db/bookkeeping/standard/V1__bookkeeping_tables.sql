-- The hub's own tables as the hub made them before its schema was versioned (CREATE TABLE IF NOT EXISTS at every
-- start-up). Every statement is a no-op on a bookkeeping schema made that way, so such a hub upgrades in place with
-- its rows: Flyway baselines it at version 0 and this script then runs over it like over an empty schema.
-- Flyway runs this with the bookkeeping schema as the current schema: names are unqualified.
-- An applied migration is never edited (Flyway checks its checksum at start-up): a change is a new V<n> file, in
-- common/ when its SQL suits every database, else one in standard/ (PostgreSQL, H2) and one in mariadb/.

-- checkpoints: one row per collection, written after every committed page
CREATE TABLE IF NOT EXISTS sync_checkpoints (
    collection VARCHAR(100) NOT NULL PRIMARY KEY, high_water BIGINT, query_since BIGINT,
    cursor_value TEXT, run_high_water BIGINT, run_started_at BIGINT, updated_at BIGINT);

-- run history
CREATE TABLE IF NOT EXISTS sync_runs (
    run_id VARCHAR(40) NOT NULL PRIMARY KEY, collection VARCHAR(100) NOT NULL,
    started_at BIGINT NOT NULL, ended_at BIGINT, state VARCHAR(20) NOT NULL,
    records BIGINT, pages BIGINT, error TEXT);

-- every accepted webhook notification, until processed and past its retention
CREATE TABLE IF NOT EXISTS webhook_inbox (
    notification_id VARCHAR(255) NOT NULL PRIMARY KEY, topic VARCHAR(255) NOT NULL,
    received_at BIGINT NOT NULL, created_at BIGINT, body TEXT NOT NULL,
    processed_at BIGINT, attempts INT NOT NULL DEFAULT 0, next_attempt_at BIGINT, last_error TEXT);
CREATE INDEX IF NOT EXISTS webhook_inbox_pending ON webhook_inbox (processed_at, received_at);

-- the durable queue of each non-warehouse branch of the fan-out
CREATE TABLE IF NOT EXISTS branch_outbox (
    id VARCHAR(40) NOT NULL PRIMARY KEY, seq BIGINT NOT NULL, branch VARCHAR(40) NOT NULL,
    collection VARCHAR(100) NOT NULL, record_id VARCHAR(255) NOT NULL, record TEXT NOT NULL,
    attempts INT NOT NULL, next_attempt_at BIGINT NOT NULL, first_failed_at BIGINT, last_error TEXT);
-- each branch takes its due rows in order: without this every take scans the whole queue
CREATE INDEX IF NOT EXISTS branch_outbox_due ON branch_outbox (branch, next_attempt_at, seq);

-- records a branch gave up on, until a replay delivers them
CREATE TABLE IF NOT EXISTS dead_letters (
    id VARCHAR(40) NOT NULL PRIMARY KEY, branch VARCHAR(40) NOT NULL, collection VARCHAR(100) NOT NULL,
    record_id VARCHAR(255) NOT NULL, record TEXT NOT NULL, attempts INT NOT NULL, last_error TEXT,
    first_failed_at BIGINT NOT NULL, last_failed_at BIGINT NOT NULL);
