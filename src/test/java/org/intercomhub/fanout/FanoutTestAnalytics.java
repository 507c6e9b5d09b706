package org.intercomhub.fanout;

import org.intercomhub.sandbox.AmplitudeStub;

/** The analytics side of the fan-out tests: a stub Amplitude on loopback. */
final class FanoutTestAnalytics {

    static final AmplitudeStub AMPLITUDE = new AmplitudeStub(0, "amp-key");

    private FanoutTestAnalytics() {
    }
}
