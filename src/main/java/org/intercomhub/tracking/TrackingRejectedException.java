package org.intercomhub.tracking;

import java.util.Locale;

/** A tracking request refused before anything was stored: the status Segment's clients expect, and why. */
public class TrackingRejectedException extends RuntimeException {

    public enum Reason {
        MISSING_WRITE_KEY(401), WRONG_WRITE_KEY(401), TOO_LARGE(400), MALFORMED_JSON(400), NO_USER(400),
        BAD_CALL(400), UNSUPPORTED_MEDIA_TYPE(400), INBOX_UNAVAILABLE(503);

        final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The tag of hub.tracking.rejected and the "error" of the answer. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public TrackingRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.status;
    }
}
