package org.intercomhub.webhook;

import org.intercomhub.IntercomHubApplication;
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

    static final String URL = "jdbc:mariadb://127.0.0.1:3306/test";
    static final SandboxServer SANDBOX = WebhookTestSupport.startSandbox();
    static final String SCHEMA = WebhookTestSupport.uniqueSchema("it_wh_maria");
    static final Map<String, Object> PROPERTIES = WebhookTestSupport.properties(SANDBOX, URL, "root", SCHEMA);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        WebhookTestSupport.register(registry, PROPERTIES);
    }

    @AfterAll
    static void stopSandboxAndDropSchemas() throws Exception {
        SANDBOX.close();
        WebhookTestSupport.dropSchemas(URL, "root", SCHEMA, "DROP DATABASE IF EXISTS %s");
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
