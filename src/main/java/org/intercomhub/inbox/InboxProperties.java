package org.intercomhub.inbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code inbox:} settings of the group commit shared by the webhook and tracking inboxes ({@link GroupCommit}).
 *
 * @param queueCapacity requests waiting for their commit, per inbox; when full, a request waits for room (each
 *                      waiting request also holds one of the server's request threads) (INBOX_QUEUE_CAPACITY)
 * @param maxBatchRows  the most rows one transaction commits; a single request with more (a tracking batch) is
 *                      committed alone (INBOX_MAX_BATCH_ROWS)
 */
@Validated
@ConfigurationProperties("inbox")
public record InboxProperties(
        @Min(1) @DefaultValue("1000") int queueCapacity,
        @Min(1) @DefaultValue("500") int maxBatchRows) {

    /** The defaults, as a fresh install reads them (for inboxes made outside the application context). */
    public static InboxProperties defaults() {
        return new Binder().bindOrCreate("inbox", InboxProperties.class);
    }
}
