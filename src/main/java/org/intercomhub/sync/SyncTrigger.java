package org.intercomhub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobKey;
import org.quartz.SchedulerException;

import java.util.List;

/** Starts collection pulls now, outside their schedule, by firing their Quartz jobs (so the one-at-a-time rule holds). */
public class SyncTrigger {

    public enum Outcome { STARTED, ALREADY_RUNNING, DISABLED, UNKNOWN }

    private final CamelContext camel;
    private final SyncStatusBoard status;
    private final List<String> collections;

    public SyncTrigger(CamelContext camel, SyncStatusBoard status, List<String> collections) {
        this.camel = camel;
        this.status = status;
        this.collections = collections;
    }

    public List<String> collections() {
        return collections;
    }

    public Outcome trigger(String collection) {
        if (!collections.contains(collection)) {
            return Outcome.UNKNOWN;
        }
        if (camel.getRouteController().getRouteStatus("pull-" + collection) != ServiceStatus.Started) {
            status.disable(collection);
            return Outcome.DISABLED;
        }
        if (!status.claim(collection)) {
            return Outcome.ALREADY_RUNNING;
        }
        try {
            camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .triggerJob(JobKey.jobKey(collection, "intercom-pull"));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not start the " + collection + " pull: " + e.getMessage(), e);
        }
        return Outcome.STARTED;
    }

    /** Starts every enabled collection; a summary is logged when the last of them ends. */
    public void triggerAll() {
        status.summaryWhenIdle();
        collections.forEach(this::trigger);
    }
}
