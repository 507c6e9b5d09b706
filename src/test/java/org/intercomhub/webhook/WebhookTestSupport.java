package org.intercomhub.webhook;

import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;

import org.intercomhub.pull.PullCatalog;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;

import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** What the end-to-end webhook suites share: a small sandbox and the app's settings (their {@link ItSuite.Setup}). */
final class WebhookTestSupport implements ItSuite.Setup {

    /** The current secret and the one being rotated out: both verify. */
    static final String SECRET = "test-client-secret";
    static final String OLD_SECRET = "old-client-secret";
    /** A cron that does not fire while a test runs. */
    static final String NEVER = "0 0 3 1 1 ?";

    @Override
    public SandboxServer startSandbox() {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(120).withCompanies(30)
                .withConversations(40).withTickets(20));
    }

    /** Every property of the app under test, also for a second context started on the same schema. */
    @Override
    public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
        String jdbcUrl = database.url;
        String user = database.user;
        Map<String, Object> properties = new HashMap<>();
        properties.put("intercom.base-url", sandbox.baseUrl());
        properties.put("intercom.access-token", sandbox.config().accessToken());
        properties.put("intercom.initial-backoff", "20ms");
        properties.put("intercom.max-backoff", "200ms");
        properties.put("warehouse.url", jdbcUrl);
        properties.put("warehouse.user", user);
        properties.put("warehouse.password", "");
        properties.put("warehouse.schema", schema);
        properties.put("warehouse.bookkeeping-schema", schema + "_hub");
        properties.put("sync.run-on-startup", "false");
        properties.put("server.port", "0");
        properties.put("webhook.client-secret", OLD_SECRET + ", " + SECRET);
        properties.put("webhook.poll-interval-ms", "50");
        properties.put("webhook.max-body-bytes", "65536");
        for (String collection : new PullCatalog().names()) {
            properties.put("sync.collections." + collection + ".cron", NEVER);
        }
        return properties;
    }

}
