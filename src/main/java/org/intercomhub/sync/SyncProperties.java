package org.intercomhub.sync;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code sync:} settings of the scheduled pulls. Which collections are pulled, and when, is the list
 * {@code sync.collections} ({@link org.intercomhub.pull.PullSchedules}).
 *
 * @param runOnStartup  run every enabled collection once as soon as the app has started (SYNC_RUN_ON_STARTUP)
 * @param contactNotes  read each contact's notes: one extra call per contact that has notes (SYNC_CONTACT_NOTES)
 * @param progressEvery how often a running pull logs its progress (SYNC_PROGRESS_EVERY)
 * @param retryFailedRuns how many times a pull or push sync whose run failed is run again before its next schedule,
 *                        after retryBackoff, doubling (SYNC_RETRY_FAILED_RUNS; 0: not at all)
 * @param retryBackoff    the wait before the first retry of a failed run (SYNC_RETRY_BACKOFF)
 */
@Validated
@ConfigurationProperties("sync")
public record SyncProperties(
        @DefaultValue("true") boolean runOnStartup,
        @DefaultValue("true") boolean contactNotes,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5s") Duration progressEvery,
        @Min(0) @DefaultValue("3") int retryFailedRuns,
        @NotNull @DurationMin(millis = 1) @DefaultValue("2m") Duration retryBackoff) {
}
