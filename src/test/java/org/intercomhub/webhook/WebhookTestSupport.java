package org.intercomhub.webhook;

import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;

import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;

import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What the end-to-end webhook suites share: a small sandbox and the app's settings (their {@link ItSuite.Setup}). */
final class WebhookTestSupport implements ItSuite.Setup {

    /** The current secret and the one being rotated out: both verify. */
    static final String SECRET = "test-client-secret";
    static final String OLD_SECRET = "old-client-secret";

    @Override
    public SandboxServer startSandbox() {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(120).withCompanies(30)
                .withConversations(40).withTickets(20));
    }

    /** Every property of the app under test, also for a second context started on the same schema. */
    @Override
    public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
        Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
        properties.put("webhook.client-secret", OLD_SECRET + ", " + SECRET);
        properties.put("webhook.poll-interval-ms", "50");
        properties.put("webhook.max-body-bytes", "65536");
        return properties;
    }

}
