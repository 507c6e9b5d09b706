package org.intercomhub.webhook;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code webhook:} settings of POST /webhooks/intercom and its inbox.
 *
 * @param clientSecret     your app's client secret; while rotating, both comma-separated: old,new
 *                         (INTERCOM_CLIENT_SECRET). Unset: every notification is refused with 401
 * @param verifySignatures false accepts unsigned notifications: development only, warned at start-up
 *                         (WEBHOOK_VERIFY_SIGNATURES)
 * @param maxBodyBytes     larger bodies are refused with 413 (WEBHOOK_MAX_BODY_BYTES)
 * @param pollIntervalMs   how often the inbox is checked for notifications to process (WEBHOOK_POLL_INTERVAL_MS)
 * @param batchSize        notifications handed to the fan-out at once (WEBHOOK_BATCH_SIZE)
 * @param retention        processed notifications are kept this long, so redeliveries within it are recognised
 *                         (WEBHOOK_RETENTION)
 */
@Validated
@ConfigurationProperties("webhook")
public record WebhookProperties(
        String clientSecret,
        @DefaultValue("true") boolean verifySignatures,
        @Min(1) @DefaultValue("1048576") int maxBodyBytes,
        @Min(1) @DefaultValue("200") int pollIntervalMs,
        @Min(1) @DefaultValue("200") int batchSize,
        @NotNull @DurationMin(millis = 1) @DefaultValue("7d") Duration retention) {

    public WebhookProperties {
        clientSecret = clientSecret == null || clientSecret.isBlank() ? null : clientSecret;
    }

    public WebhookSettings toSettings() {
        return new WebhookSettings(WebhookSettings.parseSecrets(clientSecret), verifySignatures, maxBodyBytes,
                batchSize, retention);
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "WebhookProperties[" + WebhookSettings.parseSecrets(clientSecret).size() + " client secret(s), "
                + "verifySignatures=" + verifySignatures + ", maxBodyBytes=" + maxBodyBytes + ", pollIntervalMs="
                + pollIntervalMs + ", batchSize=" + batchSize + ", retention=" + retention + "]";
    }
}
