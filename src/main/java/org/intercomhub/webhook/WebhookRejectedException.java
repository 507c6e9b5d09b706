package org.intercomhub.webhook;

/**
 * A request refused before anything was stored: the HTTP status to answer and a short reason for the counters.
 * Never 410, which would make Intercom disable the subscription.
 */
public class WebhookRejectedException extends RuntimeException {

    public enum Reason {
        BAD_SIGNATURE(401), MISSING_SIGNATURE(401), MALFORMED_JSON(400), TOO_LARGE(413), UNSUPPORTED_MEDIA_TYPE(415);

        final int status;

        Reason(int status) {
            this.status = status;
        }

        public String label() {
            return name().toLowerCase();
        }
    }

    private final Reason reason;

    public WebhookRejectedException(Reason reason, String message) {
        super(message, null, false, false); // expected outcome, no stack trace needed
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.status;
    }
}
