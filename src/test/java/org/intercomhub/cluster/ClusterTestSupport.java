package org.intercomhub.cluster;

import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;

import java.util.Map;

/** The cluster suites' sandbox and settings: both nodes start from these on one bookkeeping schema. */
final class ClusterTestSupport implements ItSuite.Setup {

    static final String SECRET = "cluster-client-secret";

    @Override
    public SandboxServer startSandbox() {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(300).withCompanies(60)
                .withConversations(40).withTickets(20));
    }

    @Override
    public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
        Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
        properties.put("intercom.max-retries", "4");
        // small pages: a pull lasts long enough to be seen running from the other node
        properties.put("intercom.per-page", "20");
        // one call per contact fewer: the rate-budget test stays short
        properties.put("sync.contact-notes", "false");
        properties.put("webhook.client-secret", SECRET);
        properties.put("webhook.poll-interval-ms", "50");
        properties.put("cluster.checkin-interval", "1s");
        return properties;
    }
}
