-- The queue tables on PostgreSQL (rows inserted, claimed, marked done, purged): half of each page is left free, so that
-- a claim, which changes no indexed column, is written in place (a heap-only tuple) instead of as a new row version
-- in every index, which the readers then walk past until a vacuum (measured on bench/tracking-ingest: a claim 0.011
-- instead of 0.086 ms a row); and they are vacuumed and analyzed after a fixed number of changed rows, not a fifth of
-- the table, since their content turns over all the time. Other databases have no such settings: the placeholder
-- makes these lines comments there.
${postgresql_only}ALTER TABLE tracking_inbox SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
${postgresql_only}ALTER TABLE webhook_inbox SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
${postgresql_only}ALTER TABLE branch_outbox SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
