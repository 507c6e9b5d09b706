package org.intercomhub.intercom;

/** 401 or 403: the token is wrong, or the app lacks a permission. Retrying cannot help; the message says what to fix. */
public class IntercomAccessDeniedException extends IntercomApiException {

    private final String missingPermission;

    public IntercomAccessDeniedException(int status, String code, String explanation, String requestId,
                                         String missingPermission) {
        super(status, code, explanation, requestId);
        this.missingPermission = missingPermission;
    }

    /** The permission the app needs (from Intercom's error, or inferred from the path); null for a 401. */
    public String missingPermission() {
        return missingPermission;
    }
}
