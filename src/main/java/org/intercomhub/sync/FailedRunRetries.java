package org.intercomhub.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a pull or a push sync again soon after a run that failed (Intercom or a database down for longer than the
 * request retries last), rather than leaving it to its next schedule, which may be hours away:
 * {@code sync.retry-backoff} after the first failure, doubling for each further failure in a row, at most
 * {@code sync.retry-failed-runs} times; then the schedule takes over. A pull resumes from its last committed page, a
 * push sends only what it did not.
 *
 * <p>The retry is a one-shot Quartz trigger of the route's own job, so the one-run-at-a-time rule holds, and with
 * several instances it is stored with the schedules: it survives a restart and fires on whichever node takes it. Its
 * group ({@code <route group>-retry}) is not Quartz's {@code DEFAULT}, so a pending retry does not make
 * {@code POST /sync/...} or {@code POST /push/...} answer "already running" ({@code ClusterRuns}). A run that
 * succeeds, however it was started, drops the retry still pending.
 */
public class FailedRunRetries {

    private static final Logger log = LoggerFactory.getLogger(FailedRunRetries.class);
    private static final String GROUP_SUFFIX = "-retry";

    private final CamelContext camel;
    private final int maxRetries;
    private final Duration backoff;
    private final Clock clock;

    public FailedRunRetries(CamelContext camel, int maxRetries, Duration backoff, Clock clock) {
        this.camel = camel;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** How many failures in a row are worth counting: one more than the retries. */
    public int failuresToCount() {
        return maxRetries + 1;
    }

    /**
     * After a failed run of the job {@code quartz:group/name}: schedules the next try, unless {@code failedInARow}
     * (this run included) used up the retries or the route is stopped. Returns when it runs, or null.
     */
    public Instant failed(String group, String name, int failedInARow) {
        if (failedInARow > maxRetries) {
            if (maxRetries > 0) {
                log.warn("{}/{}: {} runs failed in a row; no more retries, its schedule runs it next", group, name,
                        failedInARow);
            }
            return null;
        }
        Route route = ScheduledRoutes.started(camel, group, name);
        if (route == null) {
            return null;
        }
        QuartzEndpoint schedule = (QuartzEndpoint) route.getEndpoint();
        Instant at = clock.instant().plus(backoff.multipliedBy(1L << Math.min(failedInARow - 1, 20)));
        Trigger retry = TriggerBuilder.newTrigger()
                .withIdentity(retryKey(group, name))
                .forJob(JobKey.jobKey(schedule.getTriggerName(), schedule.getGroupName()))
                .startAt(Date.from(at))
                // fired late (the job was running, or no node was up): as soon as it can
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            Scheduler scheduler = ScheduledRoutes.scheduler(camel);
            if (scheduler.checkExists(retry.getKey())) {
                scheduler.rescheduleJob(retry.getKey(), retry);
            } else {
                scheduler.scheduleJob(retry);
            }
            log.warn("{}/{}: run failed ({} in a row); retried at {} (try {} of {}, sync.retry-failed-runs)", group,
                    name, failedInARow, at, failedInARow, maxRetries);
            return at;
        } catch (SchedulerException e) {
            // the scheduler is shutting down, or its store cannot be written: the schedule runs it next
            log.warn("{}/{}: could not schedule a retry of the failed run: {}", group, name, e.getMessage());
            return null;
        }
    }

    /** After a run of {@code quartz:group/name} that succeeded: a retry still pending is not needed any more. */
    public void succeeded(String group, String name) {
        try {
            Scheduler scheduler = ScheduledRoutes.scheduler(camel);
            TriggerKey key = retryKey(group, name);
            if (scheduler.checkExists(key)) {
                scheduler.unscheduleJob(key);
            }
        } catch (SchedulerException e) {
            log.warn("{}/{}: could not drop the pending retry: {}", group, name, e.getMessage());
        }
    }

    /** When the pending retry of {@code quartz:group/name} fires, or null when there is none. */
    public Instant pending(String group, String name) {
        return pending(group).get(name);
    }

    /**
     * The pending retries of a route group's jobs, by job name, when each fires: one look-up of the group's retry
     * triggers (there are none most of the time), not one per job, since every status answer asks.
     */
    public Map<String, Instant> pending(String group) {
        Map<String, Instant> due = new HashMap<>();
        try {
            Scheduler scheduler = ScheduledRoutes.scheduler(camel);
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group + GROUP_SUFFIX))) {
                Trigger trigger = scheduler.getTrigger(key);
                Date next = trigger == null ? null : trigger.getNextFireTime();
                if (next != null) {
                    due.put(key.getName(), next.toInstant());
                }
            }
        } catch (SchedulerException e) {
            log.debug("pending retries of {} not read: {}", group, e.getMessage());
        }
        return due;
    }

    /** An instant as the status answers show it (ISO-8601), or null. */
    public static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * The runs that failed in a row, newest first, of one collection or sync in a run-history table (the run going
     * now, which is still 'running', is left out), counting at most {@code atMost}.
     */
    public static int failedInARow(JdbcTemplate jdbc, String runsTable, String keyColumn, String key, int atMost) {
        List<String> states = jdbc.query("SELECT state FROM " + runsTable + " WHERE " + keyColumn + " = ? AND state <> "
                        + "'running' ORDER BY started_at DESC",
                ps -> {
                    ps.setString(1, key);
                    ps.setMaxRows(atMost);
                },
                (rs, n) -> rs.getString(1));
        int failed = 0;
        while (failed < states.size() && "failed".equals(states.get(failed))) {
            failed++;
        }
        return failed;
    }

    private static TriggerKey retryKey(String group, String name) {
        return TriggerKey.triggerKey(name, group + GROUP_SUFFIX);
    }
}
