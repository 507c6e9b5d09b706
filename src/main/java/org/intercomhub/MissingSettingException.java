package org.intercomhub;

/**
 * A setting the hub cannot start without. Reported at start-up as one line naming the environment variable
 * ({@link MissingSettingFailureAnalyzer}), not as a stack trace.
 */
public class MissingSettingException extends RuntimeException {

    private final String variable;
    private final String key;
    private final String action;

    public MissingSettingException(String variable, String key, String why, String action) {
        super(variable + " is not set (" + key + "): " + why);
        this.variable = variable;
        this.key = key;
        this.action = action;
    }

    /** The environment variable to set, e.g. INTERCOM_ACCESS_TOKEN. */
    public String variable() {
        return variable;
    }

    /** The application.yaml key it sets, e.g. intercom.access-token. */
    public String key() {
        return key;
    }

    public String action() {
        return action;
    }
}
