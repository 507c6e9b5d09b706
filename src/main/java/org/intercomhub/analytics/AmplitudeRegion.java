package org.intercomhub.analytics;

/** Amplitude's data centres (AMPLITUDE_REGION): where the HTTP V2 API of a project lives. */
public enum AmplitudeRegion {
    US("https://api2.amplitude.com/2/httpapi"),
    EU("https://api.eu.amplitude.com/2/httpapi");

    private final String url;

    AmplitudeRegion(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }
}
