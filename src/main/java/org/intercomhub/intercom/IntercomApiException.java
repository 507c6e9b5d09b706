package org.intercomhub.intercom;

/** Intercom answered with an error that retrying will not fix (most 4xx), decoded from its error envelope. */
public class IntercomApiException extends IntercomException {

    private final int status;
    private final String code;
    private final String apiMessage;
    private final String requestId;

    public IntercomApiException(int status, String code, String apiMessage, String requestId) {
        super(describe(status, code, apiMessage, requestId));
        this.status = status;
        this.code = code;
        this.apiMessage = apiMessage;
        this.requestId = requestId;
    }

    private static String describe(int status, String code, String message, String requestId) {
        StringBuilder text = new StringBuilder("Intercom returned HTTP ").append(status);
        if (code != null) {
            text.append(" ").append(code);
        }
        if (message != null) {
            text.append(": ").append(message);
        }
        if (requestId != null) {
            text.append(" (request_id ").append(requestId).append(")");
        }
        return text.toString();
    }

    public int status() {
        return status;
    }

    /** The first error's {@code code}, e.g. {@code parameter_invalid}; null when the body had no envelope. */
    public String code() {
        return code;
    }

    /** The first error's human readable {@code message}; may be null. */
    public String apiMessage() {
        return apiMessage;
    }

    /** Intercom's {@code request_id}, worth quoting to Intercom support; may be null. */
    public String requestId() {
        return requestId;
    }

    /** The 500 Intercom sends when a companies scroll broke and has to be started again from scratch. */
    public boolean isScrollRestartRequired() {
        return status >= 500 && apiMessage != null
                && apiMessage.toLowerCase(java.util.Locale.ROOT).contains("restart the scroll");
    }
}
