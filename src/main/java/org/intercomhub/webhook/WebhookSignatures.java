package org.intercomhub.webhook;

import org.apache.camel.Exchange;
import org.intercomhub.webhook.WebhookRejectedException.Reason;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks {@code X-Hub-Signature: sha1=<hex>}: HMAC-SHA1 of the raw body bytes keyed with the app's client secret.
 * Any configured secret may match, so a secret can be rotated without refusing notifications in between.
 */
public class WebhookSignatures {

    public static final String HEADER = "X-Hub-Signature";
    private static final String PREFIX = "sha1=";

    private final List<byte[]> keys;
    private final boolean verify;
    /** One keyed Mac per secret and request thread: made once, not per notification (a Mac is not thread-safe). */
    private final ThreadLocal<List<Mac>> macs;

    public WebhookSignatures(WebhookSettings settings) {
        this.keys = settings.secretKeys();
        this.verify = settings.verifySignatures();
        this.macs = ThreadLocal.withInitial(() -> keys.stream().map(WebhookSignatures::mac).toList());
    }

    /** The route step: the body is the raw bytes (see {@link WebhookRequests#rawBody}). */
    public void verify(Exchange exchange) {
        if (verify) {
            check(exchange.getMessage().getHeader(HEADER, String.class), exchange.getMessage().getBody(byte[].class));
        }
    }

    void check(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException(Reason.MISSING_SIGNATURE, "X-Hub-Signature header missing");
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new WebhookRejectedException(Reason.BAD_SIGNATURE, "X-Hub-Signature is not sha1=<hex>");
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new WebhookRejectedException(Reason.BAD_SIGNATURE, "X-Hub-Signature is not sha1=<hex>");
        }
        boolean matches = false;
        for (Mac mac : macs.get()) {
            // every key is tried, match or not, so the time taken tells nothing about which one matched
            matches |= MessageDigest.isEqual(mac.doFinal(body), claimed);
        }
        if (!matches) {
            throw new WebhookRejectedException(Reason.BAD_SIGNATURE, "X-Hub-Signature does not match");
        }
    }

    /** {@code sha1=<hex>} for a body: what Intercom sends, and what the sandbox's sender signs with. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret.getBytes(StandardCharsets.UTF_8)).doFinal(body));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
