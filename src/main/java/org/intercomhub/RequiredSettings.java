package org.intercomhub;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Checks, once the settings are all read (application.yaml, the profile's file, the environment, a test's dynamic
 * properties) and before the context is refreshed (no bean made, no database connection, no port opened), the
 * settings the hub cannot run without, and stops start-up naming the first one missing:
 * <ul>
 *   <li>INTERCOM_ACCESS_TOKEN and WAREHOUSE_URL (the demo profile sets both: sandbox token, H2 under ./data);</li>
 *   <li>AMPLITUDE_API_KEY when ANALYTICS_ENABLED=true, CRM_BASE_URL when CRM_ENABLED=true, TRACKING_WRITE_KEYS when
 *       TRACKING_ENABLED=true. A branch nobody
 *       switched on runs only when it has its credentials (see FanoutConfiguration).</li>
 * </ul>
 * Nothing here falls back to a stand-in. Registered in META-INF/spring.factories; the failure is printed by
 * {@link MissingSettingFailureAnalyzer}.
 */
public class RequiredSettings implements ApplicationListener<ApplicationPreparedEvent> {

    static final String DEMO_HINT = "To try the hub without an Intercom account, run the demo: ./mvnw spring-boot:run, "
            + "or SPRING_PROFILES_ACTIVE=demo.";

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        check(Binder.get(event.getApplicationContext().getEnvironment()));
    }

    static void check(Binder binder) {
        if (blank(binder, "intercom.access-token")) {
            throw new MissingSettingException("INTERCOM_ACCESS_TOKEN", "intercom.access-token",
                    "the hub needs your Intercom app's access token to read your workspace",
                    "Set INTERCOM_ACCESS_TOKEN to the access token of your Intercom app (Developer Hub > your app > "
                            + "Authentication). " + DEMO_HINT);
        }
        if (blank(binder, "warehouse.url")) {
            throw new MissingSettingException("WAREHOUSE_URL", "warehouse.url",
                    "the hub needs the JDBC URL of the warehouse to write to",
                    "Set WAREHOUSE_URL, e.g. jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db (and "
                            + "WAREHOUSE_USER, WAREHOUSE_PASSWORD). " + DEMO_HINT);
        }
        if (switchedOn(binder, "analytics.enabled") && blank(binder, "analytics.api-key")) {
            throw new MissingSettingException("AMPLITUDE_API_KEY", "analytics.api-key",
                    "ANALYTICS_ENABLED=true switches the analytics branch on, and it needs your Amplitude "
                            + "project's API key",
                    "Set AMPLITUDE_API_KEY, or leave ANALYTICS_ENABLED unset (or false) to run without the "
                            + "analytics branch.");
        }
        if (switchedOn(binder, "crm.enabled") && blank(binder, "crm.base-url")) {
            throw new MissingSettingException("CRM_BASE_URL", "crm.base-url",
                    "CRM_ENABLED=true switches the CRM branch on, and it needs the root URL of the CRM's records API",
                    "Set CRM_BASE_URL (and CRM_API_KEY), or leave CRM_ENABLED unset (or false) to run without the "
                            + "CRM branch.");
        }
        if (switchedOn(binder, "tracking.enabled") && blank(binder, "tracking.write-keys")) {
            throw new MissingSettingException("TRACKING_WRITE_KEYS", "tracking.write-keys",
                    "TRACKING_ENABLED=true switches the tracking API (POST /v1/*) on, and it needs the write keys "
                            + "your Segment libraries send",
                    "Set TRACKING_WRITE_KEYS to one or more long random keys, comma-separated (openssl rand -hex 24),"
                            + " or leave TRACKING_ENABLED unset (or false) to run without the tracking API.");
        }
    }

    private static boolean blank(Binder binder, String key) {
        return binder.bind(key, String.class).map(String::isBlank).orElse(true);
    }

    private static boolean switchedOn(Binder binder, String key) {
        return binder.bind(key, Boolean.class).orElse(false);
    }
}
