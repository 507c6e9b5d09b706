package org.intercomhub.analytics;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code analytics:} settings: the Amplitude branch of the fan-out.
 *
 * @param enabled             ANALYTICS_ENABLED: true switches the branch on (then AMPLITUDE_API_KEY is required,
 *                            checked at start-up), false off; unset: on exactly when an API key is set
 * @param apiKey              your Amplitude project's API key (AMPLITUDE_API_KEY)
 * @param region              us (api2.amplitude.com) or eu (api.eu.amplitude.com) (AMPLITUDE_REGION)
 * @param url                 overrides the region's endpoint: a proxy, a stub (AMPLITUDE_URL)
 * @param userIdField         which Intercom field is Amplitude's user_id: user_id (external_id) or email; the other
 *                            is the fallback (AMPLITUDE_USER_ID_FIELD)
 * @param maxEventsPerRequest Amplitude V2 takes at most 2,000 events per request (AMPLITUDE_MAX_EVENTS)
 * @param maxRequestBytes     and under 1 MB (AMPLITUDE_MAX_BYTES)
 * @param throttlePause       how long the users named in a 429 wait (AMPLITUDE_THROTTLE_PAUSE)
 * @param timeout             HTTP timeout of each request (AMPLITUDE_TIMEOUT)
 * @param groupType           Amplitude's group type the tracking API's group calls put their user in, with the
 *                            groupId as its value (AMPLITUDE_GROUP_TYPE)
 */
@Validated
@ConfigurationProperties("analytics")
public record AnalyticsProperties(
        Boolean enabled,
        String apiKey,
        @NotNull @DefaultValue("us") AmplitudeRegion region,
        String url,
        @NotNull @DefaultValue("user_id") AnalyticsSettings.UserIdField userIdField,
        @Min(1) @Max(2000) @DefaultValue("2000") int maxEventsPerRequest,
        @Min(1) @Max(1048576) @DefaultValue("1000000") int maxRequestBytes,
        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration throttlePause,
        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration timeout,
        @NotBlank @DefaultValue(AnalyticsMapper.DEFAULT_GROUP_TYPE) String groupType) {

    /** An empty value (an unset ${VARIABLE:}) is no value. */
    public AnalyticsProperties {
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        url = url == null || url.isBlank() ? null : url.trim();
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Whether the branch runs: as switched, else when it has its credentials. */
    public boolean active() {
        return enabled != null ? enabled : hasApiKey();
    }

    /** The endpoint: the override if any, else the region's. */
    public String endpoint() {
        return url != null && !url.isBlank() ? url.trim() : region.url();
    }

    public AnalyticsSettings toSettings() {
        return new AnalyticsSettings(endpoint(), hasApiKey() ? apiKey : "", userIdField, maxEventsPerRequest,
                maxRequestBytes, throttlePause, timeout, groupType);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "AnalyticsProperties[enabled=" + enabled + ", apiKey=" + (hasApiKey() ? "****" : "(unset)")
                + ", endpoint=" + endpoint() + ", userIdField=" + userIdField + "]";
    }
}
