package org.intercomhub.fanout;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code fanout:} settings shared by the analytics and CRM branches.
 *
 * @param pollIntervalMs how often each branch checks its queue (FANOUT_POLL_INTERVAL_MS)
 * @param batchSize      records a branch takes from its queue at once (FANOUT_BATCH_SIZE)
 * @param maxAttempts    tries of a record failing with 5xx / network errors before it becomes a dead letter
 *                       (FANOUT_MAX_ATTEMPTS)
 * @param initialBackoff first wait of the exponential backoff between those tries (FANOUT_INITIAL_BACKOFF)
 * @param maxBackoff     longest wait between tries (FANOUT_MAX_BACKOFF)
 * @param yieldToPulls   how long at most the branches wait while this instance pulls (FANOUT_YIELD_TO_PULLS; 0: never)
 */
@Validated
@ConfigurationProperties("fanout")
public record FanoutProperties(
        @Min(1) @DefaultValue("500") int pollIntervalMs,
        @Min(1) @DefaultValue("500") int batchSize,
        @Min(1) @DefaultValue("8") int maxAttempts,
        @NotNull @DurationMin(millis = 1) @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DurationMin(millis = 1) @DefaultValue("5m") Duration maxBackoff,
        @NotNull @DurationMin(millis = 0) @DefaultValue("10m") Duration yieldToPulls) {

    public BranchRunner.Policy policy() {
        return new BranchRunner.Policy(batchSize, maxAttempts, initialBackoff, maxBackoff);
    }
}
