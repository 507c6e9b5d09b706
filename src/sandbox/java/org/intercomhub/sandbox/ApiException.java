package org.intercomhub.sandbox;

/** An Intercom error answer: HTTP status plus one entry of the {@code error.list} envelope. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() { return status; }
    String code() { return code; }

    static ApiException badRequest(String code, String message) { return new ApiException(400, code, message); }
    static ApiException notFound(String code, String message) { return new ApiException(404, code, message); }
}
