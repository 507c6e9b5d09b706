package org.intercomhub.fanout;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The analytics side of the fan-out tests (off until the analytics branch exists). */
final class FanoutTestAnalytics {

    private FanoutTestAnalytics() {
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("analytics.enabled", () -> "false");
    }

    static void close() {
    }
}
