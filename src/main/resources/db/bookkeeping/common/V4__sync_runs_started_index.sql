-- The run history is read newest first (GET /sync/runs; the status page asks every 5 s): without this index each
-- read sorts the whole history, which grows by some 500 rows a day with the default schedules.
CREATE INDEX sync_runs_started ON sync_runs (started_at);
