package org.intercomhub.health;

import org.intercomhub.intercom.IntercomAccessDeniedException;
import org.intercomhub.intercom.IntercomClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code intercom}: DOWN with the reason while Intercom's most recent refusal (401: the access token is wrong or
 * revoked; 403: the app lacks a permission) has not been followed by a successful call; UP otherwise. Asks Intercom
 * nothing itself: a probe must not spend the app's rate limit. Not part of readiness: a refused token stops the
 * pulls, not the webhooks, the queues or the admin API.
 */
public class IntercomHealthIndicator implements HealthIndicator {

    private final IntercomClient client;

    public IntercomHealthIndicator(IntercomClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        IntercomAccessDeniedException denied = client.accessDenied();
        if (denied == null) {
            return Health.up().build();
        }
        Health.Builder health = Health.down()
                .withDetail("status", denied.status())
                .withDetail("reason", denied.apiMessage() == null ? denied.getMessage() : denied.apiMessage());
        if (denied.missingPermission() != null) {
            health.withDetail("missingPermission", denied.missingPermission());
        }
        if (denied.requestId() != null) {
            health.withDetail("requestId", denied.requestId());
        }
        return health.build();
    }
}
