package org.intercomhub.pull;

import org.apache.camel.builder.RouteBuilder;
import org.intercomhub.InvalidSettingException;
import org.quartz.CronExpression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pull route per line of {@code sync.collections}, each an instance of the {@code intercom-pull} template of
 * routes/intercom-pull.camel.yaml. Camel adds templated routes after every template is loaded, so the template may
 * come from YAML while the instances come from configuration.
 */
public class PullRoutes extends RouteBuilder {

    /** The template in routes/intercom-pull.camel.yaml. */
    static final String TEMPLATE = "intercom-pull";
    /** The template of a collection's page writer, in the same file. */
    static final String WRITER_TEMPLATE = "intercom-pull-writer";

    private final Map<String, PullSchedules.Schedule> schedules;

    /** Refuses a schedule for a collection the catalog does not know, or a cron Quartz cannot read. */
    public PullRoutes(PullSchedules schedules, PullCatalog catalog) {
        List<String> problems = new ArrayList<>();
        schedules.collections().forEach((collection, schedule) -> {
            if (!catalog.has(collection)) {
                problems.add("sync.collections." + collection + ": no such collection; known: " + catalog.names());
            } else if (!CronExpression.isValidExpression(schedule.cron())) {
                problems.add("sync.collections." + collection + ".cron: '" + schedule.cron()
                        + "' is not a Quartz cron (sec min hour day month weekday, e.g. \"0 0/15 * * * ?\")");
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidSettingException(String.join("; ", problems), "Correct or remove the line under "
                    + "sync.collections in application.yaml (or the SYNC_COLLECTIONS_* variable).");
        }
        this.schedules = schedules.collections();
    }

    public List<String> collections() {
        return List.copyOf(schedules.keySet());
    }

    @Override
    public void configure() {
        // the route id is given here: a templated route does not take the id its template declares. Each writer is
        // added before its pull, so that Camel, which stops routes in the reverse order, stops the pull first
        schedules.forEach((collection, schedule) -> templatedRoute(WRITER_TEMPLATE)
                .routeId("pull-write-" + collection)
                .parameter("collection", collection));
        schedules.forEach((collection, schedule) -> templatedRoute(TEMPLATE)
                .routeId("pull-" + collection)
                .parameter("collection", collection)
                .parameter("cron", schedule.cron())
                .parameter("enabled", Boolean.toString(schedule.enabled())));
    }
}
