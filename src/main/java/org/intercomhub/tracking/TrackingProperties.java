package org.intercomhub.tracking;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code tracking:} settings of the Segment-compatible tracking API (routes/tracking-api.camel.yaml).
 *
 * @param enabled        true insists on the API (TRACKING_WRITE_KEYS is then required), false switches it off; unset:
 *                       on exactly when write keys are set (TRACKING_ENABLED)
 * @param writeKeys      the write keys clients send, comma-separated for rotation (TRACKING_WRITE_KEYS)
 * @param pollIntervalMs how often the inbox is checked for calls to apply (TRACKING_POLL_INTERVAL_MS)
 * @param batchSize      calls taken from the inbox at once (TRACKING_BATCH_SIZE)
 * @param maxAttempts    tries of a call Intercom cannot take now (5xx, 429, network) before it is dead-lettered
 *                       (TRACKING_MAX_ATTEMPTS)
 * @param initialBackoff first wait after a failed try, doubled per try (TRACKING_INITIAL_BACKOFF)
 * @param maxBackoff     the longest wait between tries (TRACKING_MAX_BACKOFF)
 * @param attachWait     how long a group call's attachment waits for its user to reach Intercom
 *                       (TRACKING_ATTACH_WAIT)
 * @param retention      applied calls are kept this long, so a batch sent again within it is recognised
 *                       (TRACKING_RETENTION)
 * @param concurrency    users whose calls are applied at the same time, each user's still one after another in
 *                       order (TRACKING_CONCURRENCY)
 */
@Validated
@ConfigurationProperties("tracking")
public record TrackingProperties(
        Boolean enabled,
        String writeKeys,
        @Min(1) @DefaultValue("200") int pollIntervalMs,
        @Min(1) @DefaultValue("100") int batchSize,
        @Min(1) @DefaultValue("8") int maxAttempts,
        @NotNull @DurationMin(millis = 1) @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5m") Duration maxBackoff,
        @NotNull @DurationMin(millis = 1) @DefaultValue("24h") Duration attachWait,
        @NotNull @DurationMin(millis = 1) @DefaultValue("7d") Duration retention,
        @Min(1) @DefaultValue("4") int concurrency) {

    public TrackingProperties {
        writeKeys = writeKeys == null || writeKeys.isBlank() ? null : writeKeys;
    }

    /** The configured keys; blanks dropped. */
    public List<String> keys() {
        return writeKeys == null ? List.of()
                : Arrays.stream(writeKeys.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the API answers: switched on, or not switched and keys are set. */
    public boolean active() {
        return enabled != null ? enabled : !keys().isEmpty();
    }

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "TrackingProperties[enabled=" + enabled + ", " + keys().size() + " write key(s), pollIntervalMs="
                + pollIntervalMs + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", attachWait=" + attachWait + ", retention="
                + retention + ", concurrency=" + concurrency + "]";
    }
}
