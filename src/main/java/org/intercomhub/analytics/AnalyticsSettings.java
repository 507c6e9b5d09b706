package org.intercomhub.analytics;

import java.time.Duration;
import java.util.Locale;

/**
 * The analytics branch's settings ({@code analytics:} in application.yaml).
 *
 * @param url            the HTTP V2 endpoint: the region's, or an override (stubs, proxies)
 * @param userIdField    which Intercom field becomes Amplitude's user_id first: user_id (Intercom's external_id)
 *                       or email; the other is the fallback
 * @param maxEvents      events per request (Amplitude: 2,000)
 * @param maxBytes       request body size limit (Amplitude V2: under 1 MB)
 * @param throttlePause  how long throttled users wait after a 429 (Amplitude: 30 s)
 */
public record AnalyticsSettings(String url, String apiKey, UserIdField userIdField, int maxEvents, int maxBytes,
                                Duration throttlePause, Duration timeout) {

    public enum UserIdField { USER_ID, EMAIL }

    public static final String US = "https://api2.amplitude.com/2/httpapi";
    public static final String EU = "https://api.eu.amplitude.com/2/httpapi";

    public static String regionUrl(String region) {
        return switch (region.trim().toLowerCase(Locale.ROOT)) {
            case "us" -> US;
            case "eu" -> EU;
            default -> throw new IllegalArgumentException("AMPLITUDE_REGION must be us or eu, not " + region);
        };
    }

    public static UserIdField userIdField(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "user_id", "external_id" -> UserIdField.USER_ID;
            case "email" -> UserIdField.EMAIL;
            default -> throw new IllegalArgumentException("AMPLITUDE_USER_ID_FIELD must be user_id or email, not " + text);
        };
    }
}
