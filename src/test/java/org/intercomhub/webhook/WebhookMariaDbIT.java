package org.intercomhub.webhook;

import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItDatabase;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;

/** The webhook contract against the local MariaDB server (schemas are databases). */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookMariaDbIT extends WebhookContract {

    static final SandboxServer SANDBOX = WebhookTestSupport.startSandbox();
    static final String SCHEMA = ItDatabase.uniqueSchema("it_wh_maria");
    static final Map<String, Object> PROPERTIES = WebhookTestSupport.properties(SANDBOX, ItDatabase.MARIADB.url, ItDatabase.MARIADB.user, SCHEMA);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        WebhookTestSupport.register(registry, PROPERTIES);
    }

    @AfterAll
    static void stopSandboxAndDropSchemas() throws Exception {
        SANDBOX.close();
        ItDatabase.MARIADB.dropSchemas(SCHEMA);
    }

    @Override
    SandboxServer sandbox() {
        return SANDBOX;
    }

    @Override
    String schema() {
        return SCHEMA;
    }

    @Override
    Map<String, Object> properties() {
        return PROPERTIES;
    }
}
