-- The webhook inbox's bodies (Intercom's notifications, 2 to 3 KB: over PostgreSQL's 2 KB threshold, so every row is
-- compressed as it is inserted) with LZ4 instead of PostgreSQL's default pglz, on PostgreSQL 14 and later built with
-- LZ4 (the PGDG and distribution packages are): 20,000 inserts of the webhook bench's 2.5 KB contact took 0.58-0.63 s
-- against 1.20-1.37 s with pglz, on the 2-core machine of bench/webhook-ingest (2026-12-02), and the acknowledgement
-- waits for that insert. Rows stored before keep their compression. A server without LZ4 keeps pglz (noticed, not
-- failed). Other databases have no such setting: the placeholder makes this line a comment there.
${postgresql_only}DO $$ BEGIN EXECUTE 'ALTER TABLE webhook_inbox ALTER COLUMN body SET COMPRESSION lz4'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'webhook_inbox.body keeps the default compression: %', SQLERRM; END $$;
