package org.intercomhub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Runs a scheduled route now by firing its Quartz job, so its one-run-at-a-time rule holds. A route is found by its
 * trigger: {@code quartz:<group>/<name>} (intercom-pull/contacts, intercom-push/crm_users).
 */
public final class ScheduledRoutes {

    private ScheduledRoutes() {
    }

    /** The started route scheduled by {@code quartz:<group>/<name>}, or null when there is none or it is stopped. */
    public static Route started(CamelContext camel, String group, String name) {
        Route route = camel.getRoutes().stream()
                .filter(r -> r.getEndpoint() instanceof QuartzEndpoint schedule
                        && group.equals(schedule.getGroupName()) && name.equals(schedule.getTriggerName()))
                .findFirst().orElse(null);
        return route == null || camel.getRouteController().getRouteStatus(route.getId()) != ServiceStatus.Started
                ? null : route;
    }

    public static void fire(CamelContext camel, Route route) {
        QuartzEndpoint schedule = (QuartzEndpoint) route.getEndpoint();
        try {
            scheduler(camel).triggerJob(JobKey.jobKey(schedule.getTriggerName(), schedule.getGroupName()));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not start " + route.getId() + ": " + e.getMessage(), e);
        }
    }

    /** The Quartz scheduler of the {@code quartz:} routes. */
    static Scheduler scheduler(CamelContext camel) {
        return camel.getComponent("quartz", QuartzComponent.class).getScheduler();
    }
}
