package org.intercomhub.cluster;

import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.function.BooleanSupplier;

/**
 * Whether a scheduled route's job is busy anywhere in the cluster, from Quartz's own tables: a firing of the job that
 * a node acquired or is executing ({@code QRTZ_FIRED_TRIGGERS}; a dead node's row stays until another node recovers
 * the run), or a manual firing ({@code POST /sync/...}, {@code POST /push/...}) waiting to be picked up (its trigger
 * is in Quartz's {@code DEFAULT} group; the schedules' triggers are in the route's group). Quartz keeps these rows
 * right however a node ends, so no heartbeat of our own is needed. Not clustered (H2): never busy here; the caller's
 * in-memory guard is the whole truth on one node.
 */
public class ClusterRuns {

    /** How long a trigger waits for a run that just ended here to leave Quartz's tables. */
    static final long ENDING_WAIT_MILLIS = 3_000;
    private static final long ENDING_POLL_MILLIS = 50;

    private final JdbcTemplate jdbc;
    private final String firedTriggers;
    private final String triggers;
    private final boolean clustered;
    /** This node's Quartz instance id (QRTZ_FIRED_TRIGGERS.INSTANCE_NAME). */
    private final String node;

    public ClusterRuns(JdbcTemplate jdbc, BookkeepingSchema schema, boolean clustered, ClusterNode node) {
        this.jdbc = jdbc;
        this.node = node.name();
        this.firedTriggers = schema.table("QRTZ_FIRED_TRIGGERS");
        this.triggers = schema.table("QRTZ_TRIGGERS");
        this.clustered = clustered;
    }

    public boolean clustered() {
        return clustered;
    }

    /** True when the job {@code group/name} (quartz:group/name) is running or about to, on any node. */
    public boolean busy(String group, String name) {
        if (!clustered) {
            return false;
        }
        Firings firings = firings(group, name);
        return firings.here() + firings.elsewhere() > 0;
    }

    /** Quartz's firings of a job: this node's ({@code QRTZ_FIRED_TRIGGERS} of its instance), and all the others. */
    protected record Firings(long here, long elsewhere) {
    }

    /** The job's firings by this node, and those of other nodes plus manual firings not picked up yet. */
    protected Firings firings(String group, String name) {
        return jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM " + firedTriggers + " WHERE SCHED_NAME = ? AND "
                        + "JOB_GROUP = ? AND JOB_NAME = ? AND INSTANCE_NAME = ?), (SELECT COUNT(*) FROM " + firedTriggers
                        + " WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND JOB_NAME = ? AND INSTANCE_NAME <> ?) + (SELECT "
                        + "COUNT(*) FROM " + triggers + " WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND JOB_NAME = ? AND "
                        + "TRIGGER_GROUP = 'DEFAULT')",
                (rs, n) -> new Firings(rs.getLong(1), rs.getLong(2)),
                ClusterScheduler.CLUSTER_NAME, group, name, node, ClusterScheduler.CLUSTER_NAME, group, name, node,
                ClusterScheduler.CLUSTER_NAME, group, name);
    }

    /**
     * {@link #busy}, except that this node's own firing of a run that has just ended here ({@code justEndedHere}) is
     * waited for, up to {@link #ENDING_WAIT_MILLIS}: the run's status says it ended a moment before its Quartz job
     * returns and leaves {@code QRTZ_FIRED_TRIGGERS}, and a trigger in that moment ({@code POST /sync/...} right after a
     * failed run) was refused as already running. Another node's firing, or a manual one waiting, is busy at once.
     */
    public boolean busyUnlessEnding(String group, String name, BooleanSupplier justEndedHere) {
        if (!clustered) {
            return false;
        }
        long deadline = System.nanoTime() + ENDING_WAIT_MILLIS * 1_000_000;
        while (true) {
            Firings firings = firings(group, name);
            if (firings.elsewhere() > 0) {
                return true;
            }
            if (firings.here() == 0) {
                return false;
            }
            if (!justEndedHere.getAsBoolean() || System.nanoTime() >= deadline) {
                return true;
            }
            try {
                Thread.sleep(ENDING_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }
}
