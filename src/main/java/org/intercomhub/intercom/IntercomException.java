package org.intercomhub.intercom;

/** Base of every failure raised by the Intercom client, so callers can catch the family at once. */
public class IntercomException extends RuntimeException {

    public IntercomException(String message) {
        super(message);
    }

    public IntercomException(String message, Throwable cause) {
        super(message, cause);
    }
}
