package org.intercomhub.intercom;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * The {@code intercom:} settings: which Intercom app the hub reads, and how hard it may push.
 *
 * @param accessToken      your app's access token (INTERCOM_ACCESS_TOKEN); required, checked at start-up
 * @param region           the regional API host of your workspace: us, eu or au (INTERCOM_REGION)
 * @param baseUrl          overrides the region's host: a proxy, a test server, the demo's sandbox (INTERCOM_BASE_URL)
 * @param version          sent as Intercom-Version (INTERCOM_VERSION)
 * @param connectTimeout   HTTP connect timeout (INTERCOM_CONNECT_TIMEOUT)
 * @param responseTimeout  HTTP response timeout (INTERCOM_RESPONSE_TIMEOUT)
 * @param maxRetries       5xx, timeouts and dropped connections are retried this many times (INTERCOM_MAX_RETRIES)
 * @param initialBackoff   first wait of the exponential backoff between retries (INTERCOM_INITIAL_BACKOFF)
 * @param maxBackoff       longest wait between retries (INTERCOM_MAX_BACKOFF)
 * @param rateLimitReserve share of the rate-limit budget left for your other apps, 0 to below 1: 0.2 uses at most
 *                         80% (INTERCOM_RATE_LIMIT_RESERVE)
 * @param perPage          items per page of the paginated endpoints, 1 to 150 (INTERCOM_PER_PAGE)
 */
@Validated
@ConfigurationProperties("intercom")
public record IntercomProperties(
        String accessToken,
        @NotNull @DefaultValue("us") IntercomRegion region,
        String baseUrl,
        @NotBlank @DefaultValue(IntercomSettings.DEFAULT_VERSION) String version,
        @NotNull @DurationMin(millis = 1) @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DurationMin(millis = 1) @DefaultValue("60s") Duration responseTimeout,
        @Min(0) @DefaultValue("6") int maxRetries,
        @NotNull @DurationMin(millis = 1) @DefaultValue("500ms") Duration initialBackoff,
        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration maxBackoff,
        @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) @DefaultValue("0.0") double rateLimitReserve,
        @Min(1) @Max(150) @DefaultValue("150") int perPage) {

    /** An empty value is no value. */
    public IntercomProperties {
        accessToken = accessToken == null || accessToken.isBlank() ? null : accessToken.trim();
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.trim();
    }

    /** The client's settings (the builder the tests use too). */
    public IntercomSettings toSettings() {
        return IntercomSettings.builder()
                .accessToken(accessToken)
                .region(region)
                .baseUrl(baseUrl)
                .version(version)
                .connectTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .maxRetries(maxRetries)
                .initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff)
                .rateLimitReserve(rateLimitReserve)
                .build();
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "IntercomProperties[accessToken=" + (accessToken == null || accessToken.isBlank() ? "(unset)" : "****")
                + ", region=" + region + ", baseUrl=" + baseUrl + ", version=" + version + ", perPage=" + perPage + "]";
    }
}
