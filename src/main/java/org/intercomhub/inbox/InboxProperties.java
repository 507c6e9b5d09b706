package org.intercomhub.inbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@code inbox:} settings of the group commit shared by the webhook and tracking inboxes ({@link GroupCommit}).
 *
 * @param queueCapacity requests waiting for their commit, per inbox; when full, a request waits for room (each
 *                      waiting request also holds one of the server's request threads) (INBOX_QUEUE_CAPACITY)
 * @param maxBatchRows  the most rows one transaction commits; a single request with more (a tracking batch) is
 *                      committed alone (INBOX_MAX_BATCH_ROWS)
 * @param burstRate     rows a second arriving at one inbox (on this node) from which its processing into the
 *                      warehouse waits, so the burst is acknowledged faster (INBOX_BURST_RATE)
 * @param burstHold     the longest that processing waits before it drains the inbox regardless; 0s: it never waits
 *                      (INBOX_BURST_HOLD)
 */
@Validated
@ConfigurationProperties("inbox")
public record InboxProperties(
        @Min(1) @DefaultValue("1000") int queueCapacity,
        @Min(1) @DefaultValue("500") int maxBatchRows,
        @Min(1) @DefaultValue("1000") int burstRate,
        @NotNull @DurationMin(millis = 0) @DefaultValue("30s") Duration burstHold) {

    /** The hold of one inbox's processing, named for its log lines. */
    public BurstHold burstHold(String inbox, Clock clock) {
        return new BurstHold(inbox, clock, burstRate, burstHold);
    }

    /** The defaults, as a fresh install reads them (for inboxes made outside the application context). */
    public static InboxProperties defaults() {
        return new Binder().bindOrCreate("inbox", InboxProperties.class);
    }
}
