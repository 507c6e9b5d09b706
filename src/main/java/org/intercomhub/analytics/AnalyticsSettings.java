package org.intercomhub.analytics;

import java.time.Duration;

/**
 * The analytics branch's settings ({@code analytics:} in application.yaml).
 *
 * @param url            the HTTP V2 endpoint: the region's, or an override (stubs, proxies)
 * @param userIdField    which Intercom field becomes Amplitude's user_id first: user_id (Intercom's external_id)
 *                       or email; the other is the fallback
 * @param maxEvents      events per request (Amplitude: 2,000)
 * @param maxBytes       request body size limit (Amplitude V2: under 1 MB)
 * @param throttlePause  how long throttled users wait after a 429 (Amplitude: 30 s)
 * @param groupType      Amplitude's group type of the tracking API's group calls (their groupId is its value)
 */
public record AnalyticsSettings(String url, String apiKey, UserIdField userIdField, int maxEvents, int maxBytes,
                                Duration throttlePause, Duration timeout, String groupType) {

    public AnalyticsSettings(String url, String apiKey, UserIdField userIdField, int maxEvents, int maxBytes,
                             Duration throttlePause, Duration timeout) {
        this(url, apiKey, userIdField, maxEvents, maxBytes, throttlePause, timeout, AnalyticsMapper.DEFAULT_GROUP_TYPE);
    }

    /**
     * Which Intercom field becomes Amplitude's user_id first (AMPLITUDE_USER_ID_FIELD). {@code external_id} is
     * Intercom API 2.x's name of {@code user_id} and means the same.
     */
    public enum UserIdField { USER_ID, EXTERNAL_ID, EMAIL }
}
