package org.intercomhub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.intercomhub.cluster.ClusterRuns;

import java.util.List;

/**
 * Starts collection pulls now, outside their schedule, by firing their Quartz jobs (so the one-at-a-time rule holds).
 * A collection's route is the one scheduled by {@code quartz:intercom-pull/<collection>}
 * (routes/intercom-pull.camel.yaml).
 */
public class SyncTrigger {

    public enum Outcome { STARTED, ALREADY_RUNNING, DISABLED, UNKNOWN }

    /** A run that ended this recently here may still be finishing its Quartz job. */
    private static final java.time.Duration JUST_ENDED = java.time.Duration.ofSeconds(5);

    private final CamelContext camel;
    private final SyncStatusBoard status;
    private final List<String> collections;
    private final ClusterRuns cluster;

    public SyncTrigger(CamelContext camel, SyncStatusBoard status, List<String> collections, ClusterRuns cluster) {
        this.camel = camel;
        this.status = status;
        this.collections = collections;
        this.cluster = cluster;
    }

    public List<String> collections() {
        return collections;
    }

    public Outcome trigger(String collection) {
        if (!collections.contains(collection)) {
            return Outcome.UNKNOWN;
        }
        Route route = ScheduledRoutes.started(camel, "intercom-pull", collection);
        if (route == null) {
            status.disable(collection);
            return Outcome.DISABLED;
        }
        // clustered: a run going (or asked for) on any node, from Quartz's tables (one that just ended here is
        // waited for: its job is still returning); one node: the in-memory claim
        if (cluster.clustered()
                ? cluster.busyUnlessEnding("intercom-pull", collection, () -> status.endedWithin(collection, JUST_ENDED))
                : !status.claim(collection)) {
            return Outcome.ALREADY_RUNNING;
        }
        ScheduledRoutes.fire(camel, route);
        return Outcome.STARTED;
    }

    /** Starts every enabled collection; a summary is logged when the last of them ends. */
    public void triggerAll() {
        status.summaryWhenIdle();
        collections.forEach(this::trigger);
    }
}
