package org.intercomhub.intercom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * Intercom allows one open companies scroll per app, so the process holds one permit per app (base URL + token
 * digest), shared by every client instance of that app.
 */
final class ScrollPermits {

    private static final ConcurrentMap<String, Semaphore> PERMITS = new ConcurrentHashMap<>();

    private ScrollPermits() {
    }

    static Semaphore forApp(String appKey) {
        return PERMITS.computeIfAbsent(appKey, key -> new Semaphore(1, true));
    }

    static String appKey(IntercomSettings settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(settings.accessToken().getBytes(StandardCharsets.UTF_8));
            return settings.effectiveBaseUrl() + "#" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
