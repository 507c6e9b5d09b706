-- Reverse-ETL syncs (routes/intercom-push.camel.yaml, org.intercomhub.push).
--
-- push_rows: per sync and model key, what the hub last sent (row_hash: a later row with the same hash costs no
-- request; NULL: send it again next run, e.g. after a rejection), the Intercom id it wrote to (so a later change is
-- one update, without a search), and the row's latest outcome with its reason: the row-level results table.
-- Keys are stored by their SHA-256 (hex) so that any key length fits an index and MariaDB's case-insensitive
-- collations cannot merge two keys; row_key keeps the key as the model gave it.
CREATE TABLE IF NOT EXISTS push_rows (
    sync_name VARCHAR(100) NOT NULL, key_hash CHAR(64) NOT NULL, row_key TEXT NOT NULL,
    row_hash CHAR(64), intercom_id VARCHAR(64), outcome VARCHAR(20) NOT NULL, reason TEXT,
    run_id VARCHAR(40) NOT NULL, seen_run VARCHAR(40) NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (sync_name, key_hash));
CREATE INDEX push_rows_outcome ON push_rows (sync_name, outcome);

-- one row per push run: its state and how many rows ended how
CREATE TABLE IF NOT EXISTS push_runs (
    run_id VARCHAR(40) NOT NULL PRIMARY KEY, sync_name VARCHAR(100) NOT NULL,
    started_at BIGINT NOT NULL, ended_at BIGINT, state VARCHAR(20) NOT NULL, rows_read BIGINT NOT NULL,
    created BIGINT NOT NULL, updated BIGINT NOT NULL, unchanged BIGINT NOT NULL, archived BIGINT NOT NULL,
    deleted BIGINT NOT NULL, rejected BIGINT NOT NULL, error TEXT);
CREATE INDEX push_runs_sync ON push_runs (sync_name, started_at);
