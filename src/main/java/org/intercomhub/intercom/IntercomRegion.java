package org.intercomhub.intercom;

import java.net.URI;
import java.util.Locale;

/** Intercom's regional API hosts; a workspace's data lives in exactly one of them. */
public enum IntercomRegion {
    US("https://api.intercom.io"),
    EU("https://api.eu.intercom.io"),
    AU("https://api.au.intercom.io");

    private final URI baseUrl;

    IntercomRegion(String baseUrl) {
        this.baseUrl = URI.create(baseUrl);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Accepts the names used in configuration: {@code us}, {@code eu}, {@code au} (any case). */
    public static IntercomRegion fromName(String name) {
        if (name == null || name.isBlank()) {
            return US;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown Intercom region '" + name + "': expected us, eu or au", e);
        }
    }
}
