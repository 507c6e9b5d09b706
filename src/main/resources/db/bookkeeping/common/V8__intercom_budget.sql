-- Intercom's rate limit is per app, whatever the number of hub instances: one row per app (app_key: SHA-256 of the
-- API host and the token's digest) holds the current window's end and the requests left in it. Every request takes
-- one with a conditional UPDATE (SharedRateBudget); each response brings the row down to what Intercom reported.
-- probe_until: while the window is unknown (it ended), one request cluster-wide asks for the new one.
CREATE TABLE intercom_budget (
    app_key CHAR(64) NOT NULL PRIMARY KEY, window_ends_at BIGINT NOT NULL, remaining INT NOT NULL,
    probe_until BIGINT NOT NULL);
