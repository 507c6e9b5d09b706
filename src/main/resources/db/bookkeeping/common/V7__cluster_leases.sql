-- Several hub instances drain the same queues. A node claims the rows it is about to deliver by writing its name and
-- a lease end into them (one conditional UPDATE: a row already leased to a live claim is left alone), and clears the
-- lease when it settles the row. A node that dies holding rows releases them when the lease runs out. Leases rather
-- than SELECT ... FOR UPDATE SKIP LOCKED: a delivery spans HTTP calls and several steps of a route, and a
-- transaction held open across them would pin a connection per batch and still be PostgreSQL / MariaDB >= 10.6 only.
ALTER TABLE webhook_inbox ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE webhook_inbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE branch_outbox ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE branch_outbox ADD COLUMN claimed_until BIGINT;
-- the tracking inbox has two readers, each with its own lease: Intercom (applied_at) and the fan-out (fanned_out_at)
ALTER TABLE tracking_inbox ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE tracking_inbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE tracking_inbox ADD COLUMN fanout_claimed_by VARCHAR(100);
ALTER TABLE tracking_inbox ADD COLUMN fanout_claimed_until BIGINT;

-- every running hub instance, with when it last said it is alive (ClusterHeartbeat): how the demo's H2, which cannot
-- be shared safely, notices a second instance and says so
CREATE TABLE cluster_nodes (
    node VARCHAR(100) NOT NULL PRIMARY KEY, started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL);
