package org.intercomhub.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code webhook:} section of application.yaml.
 *
 * @param clientSecrets    the Intercom app's client secrets; more than one while rotating (any of them verifies)
 * @param verifySignatures false accepts unsigned notifications (development only; a warning is logged at start-up)
 * @param maxBodyBytes     larger bodies are refused with 413
 * @param batchSize        inbox rows processed per fan-out batch
 * @param retention        processed inbox rows are kept this long: redeliveries within it are recognised
 */
public record WebhookSettings(List<String> clientSecrets, boolean verifySignatures, int maxBodyBytes, int batchSize,
                              Duration retention) {

    public WebhookSettings {
        clientSecrets = List.copyOf(clientSecrets);
        if (maxBodyBytes < 1 || batchSize < 1) {
            throw new IllegalArgumentException("webhook.max-body-bytes and webhook.batch-size must be positive");
        }
    }

    /** A comma-separated list as INTERCOM_CLIENT_SECRET holds it; blanks are dropped. */
    public static List<String> parseSecrets(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    List<byte[]> secretKeys() {
        return clientSecrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Never prints the secrets themselves. */
    @Override
    public String toString() {
        return "WebhookSettings[" + clientSecrets.size() + " client secret(s), verifySignatures=" + verifySignatures
                + ", maxBodyBytes=" + maxBodyBytes + ", batchSize=" + batchSize + ", retention=" + retention + "]";
    }
}
