package org.intercomhub;

/**
 * A setting whose value the hub cannot work with (an unknown collection, an unreadable cron). Reported at start-up
 * as one line naming the key and what is wrong ({@link InvalidSettingFailureAnalyzer}), not as a stack trace.
 */
public class InvalidSettingException extends RuntimeException {

    private final String action;

    public InvalidSettingException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
