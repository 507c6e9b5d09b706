package org.intercomhub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.JobKey;
import org.quartz.SchedulerException;

import java.util.List;

/**
 * Starts collection pulls now, outside their schedule, by firing their Quartz jobs (so the one-at-a-time rule holds).
 * A collection's route is the templated route whose Quartz trigger is named after the collection
 * ({@code quartz:intercom-pull/<collection>} in routes/intercom-pull.camel.yaml).
 */
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
        Route route = routeOf(collection);
        if (route == null || camel.getRouteController().getRouteStatus(route.getId()) != ServiceStatus.Started) {
            status.disable(collection);
            return Outcome.DISABLED;
        }
        if (!status.claim(collection)) {
            return Outcome.ALREADY_RUNNING;
        }
        QuartzEndpoint schedule = (QuartzEndpoint) route.getEndpoint();
        try {
            camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .triggerJob(JobKey.jobKey(schedule.getTriggerName(), schedule.getGroupName()));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not start the " + collection + " pull: " + e.getMessage(), e);
        }
        return Outcome.STARTED;
    }

    private Route routeOf(String collection) {
        return camel.getRoutes().stream()
                .filter(Route::isCreatedByRouteTemplate)
                .filter(route -> route.getEndpoint() instanceof QuartzEndpoint schedule
                        && collection.equals(schedule.getTriggerName()))
                .findFirst().orElse(null);
    }

    /** Starts every enabled collection; a summary is logged when the last of them ends. */
    public void triggerAll() {
        status.summaryWhenIdle();
        collections.forEach(this::trigger);
    }
}
