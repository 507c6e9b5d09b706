package org.intercomhub.intercom;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one Intercom app. Immutable; build with {@link #builder()}.
 *
 * @param baseUrl          explicit API root (the sandbox, a proxy); when set it wins over {@code region}
 * @param rateLimitReserve fraction (0..1) of each rate-limit window left unused for other apps of the workspace
 * @param maxRateLimitRetries how many 429s in a row one request may meet before giving up
 */
public record IntercomSettings(
        String accessToken,
        IntercomRegion region,
        URI baseUrl,
        String version,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        double rateLimitReserve,
        int maxRateLimitRetries,
        String userAgent) {

    public static final String DEFAULT_VERSION = "2.16";

    public IntercomSettings {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalArgumentException("Intercom access token is required (INTERCOM_ACCESS_TOKEN)");
        }
        region = region == null ? IntercomRegion.US : region;
        version = version == null || version.isBlank() ? DEFAULT_VERSION : version;
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connectTimeout");
        responseTimeout = positive(responseTimeout, Duration.ofSeconds(60), "responseTimeout");
        initialBackoff = positive(initialBackoff, Duration.ofMillis(500), "initialBackoff");
        maxBackoff = positive(maxBackoff, Duration.ofSeconds(30), "maxBackoff");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        if (maxRateLimitRetries < 0) {
            throw new IllegalArgumentException("maxRateLimitRetries must be >= 0");
        }
        if (!(rateLimitReserve >= 0 && rateLimitReserve < 1)) {
            throw new IllegalArgumentException("rateLimitReserve must be in [0, 1), was " + rateLimitReserve);
        }
        userAgent = userAgent == null || userAgent.isBlank() ? "intercom-hub" : userAgent;
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** Names the Intercom app (API host and a digest of the token): what Intercom's per-app limits count by. */
    public String appKey() {
        return ScrollPermits.appKey(this);
    }

    /** The API root requests go to: the override if any, else the region's host. */
    public URI effectiveBaseUrl() {
        return baseUrl != null ? baseUrl : region.baseUrl();
    }

    /** Never prints the token: settings end up in logs and exception messages. */
    @Override
    public String toString() {
        return "IntercomSettings[accessToken=" + "****"
                + ", region=" + region + ", baseUrl=" + effectiveBaseUrl() + ", version=" + version
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", rateLimitReserve=" + rateLimitReserve + ", maxRateLimitRetries=" + maxRateLimitRetries
                + ", userAgent=" + userAgent + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().accessToken(accessToken).region(region).baseUrl(baseUrl).version(version)
                .connectTimeout(connectTimeout).responseTimeout(responseTimeout).maxRetries(maxRetries)
                .initialBackoff(initialBackoff).maxBackoff(maxBackoff).rateLimitReserve(rateLimitReserve)
                .maxRateLimitRetries(maxRateLimitRetries).userAgent(userAgent);
    }

    public static final class Builder {
        private String accessToken;
        private IntercomRegion region = IntercomRegion.US;
        private URI baseUrl;
        private String version = DEFAULT_VERSION;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private int maxRetries = 6;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double rateLimitReserve = 0;
        private int maxRateLimitRetries = 10;
        private String userAgent = "intercom-hub";

        private Builder() {
        }

        public Builder accessToken(String accessToken) {
            this.accessToken = accessToken;
            return this;
        }

        public Builder region(IntercomRegion region) {
            this.region = region;
            return this;
        }

        /** Blank means "use the region". */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl == null || baseUrl.isBlank() ? null : URI.create(stripTrailingSlash(baseUrl.trim()));
            return this;
        }

        public Builder baseUrl(URI baseUrl) {
            return baseUrl(baseUrl == null ? null : baseUrl.toString());
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder rateLimitReserve(double rateLimitReserve) {
            this.rateLimitReserve = rateLimitReserve;
            return this;
        }

        public Builder maxRateLimitRetries(int maxRateLimitRetries) {
            this.maxRateLimitRetries = maxRateLimitRetries;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public IntercomSettings build() {
            return new IntercomSettings(accessToken, region, baseUrl, version, connectTimeout, responseTimeout,
                    maxRetries, initialBackoff, maxBackoff, rateLimitReserve, maxRateLimitRetries, userAgent);
        }

        private static String stripTrailingSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }
}
