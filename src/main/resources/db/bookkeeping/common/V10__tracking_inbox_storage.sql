-- The tracking inbox on PostgreSQL (rows inserted, claimed twice, marked done twice, purged): half of each page is
-- left free, so that a claim, which changes no indexed column, is written in place (a heap-only tuple) instead of as a
-- new row version in every index, which the readers then walk past until a vacuum (measured on bench/tracking-ingest:
-- a claim 0.011 instead of 0.086 ms a row); and it is vacuumed and analyzed after a fixed number of changed rows, not
-- a fifth of the table, since its content turns over all the time. The webhook inbox was measured with the same
-- settings and its reads got slower (0.73 instead of 0.12 ms), so it keeps the defaults. Other databases have no such
-- settings: the placeholder makes these lines comments there.
${postgresql_only}ALTER TABLE tracking_inbox SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
