package org.intercomhub.fanout;

import org.intercomhub.sandbox.AmplitudeStub;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The analytics side of the fan-out tests: a stub Amplitude on loopback. */
final class FanoutTestAnalytics {

    static final AmplitudeStub AMPLITUDE = new AmplitudeStub(0, "amp-key");

    private FanoutTestAnalytics() {
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("analytics.enabled", () -> "true");
        registry.add("analytics.url", AMPLITUDE::url);
        registry.add("analytics.api-key", () -> "amp-key");
    }
}
