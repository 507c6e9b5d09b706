package org.intercomhub.intercom;

/** Intercom could not be reached or kept failing (5xx, timeouts, dropped connections) after every retry. */
public class IntercomUnavailableException extends IntercomException {

    public IntercomUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
