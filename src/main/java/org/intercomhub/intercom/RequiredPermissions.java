package org.intercomhub.intercom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Developer Hub permission an endpoint needs, for 403s whose body does not name it. Longest prefixes come
 * first so {@code /admins/activity_logs} is not taken for {@code /admins}.
 */
final class RequiredPermissions {

    private static final Map<String, String> BY_PATH_PREFIX = new LinkedHashMap<>();

    static {
        BY_PATH_PREFIX.put("/admins/activity_logs", "Read admins activity logs");
        BY_PATH_PREFIX.put("/admins", "Read admins");
        BY_PATH_PREFIX.put("/teams", "Read admins");
        BY_PATH_PREFIX.put("/me", "Read admins");
        BY_PATH_PREFIX.put("/contacts", "Read and list users and companies");
        BY_PATH_PREFIX.put("/companies", "Read and list users and companies");
        BY_PATH_PREFIX.put("/segments", "Read and list users and companies");
        BY_PATH_PREFIX.put("/events", "Read and list users and companies");
        BY_PATH_PREFIX.put("/visitors", "Read and list users and companies");
        BY_PATH_PREFIX.put("/conversations", "Read conversations");
        BY_PATH_PREFIX.put("/tickets", "Read tickets");
        BY_PATH_PREFIX.put("/tags", "Read tags");
        BY_PATH_PREFIX.put("/data_attributes", "Read data attributes");
    }

    private RequiredPermissions() {
    }

    /** The permission inferred from a request path, or null when the path is not one we know. */
    static String inferFromPath(String path) {
        if (path == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : BY_PATH_PREFIX.entrySet()) {
            String prefix = entry.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "?")) {
                return entry.getValue();
            }
        }
        return null;
    }
}
