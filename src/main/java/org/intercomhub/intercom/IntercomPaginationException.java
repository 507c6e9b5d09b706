package org.intercomhub.intercom;

/** The server's paging went wrong (pages or a cursor repeated, a scroll kept breaking): stop rather than loop or miss data. */
public class IntercomPaginationException extends IntercomException {

    public IntercomPaginationException(String message) {
        super(message);
    }

    public IntercomPaginationException(String message, Throwable cause) {
        super(message, cause);
    }
}
