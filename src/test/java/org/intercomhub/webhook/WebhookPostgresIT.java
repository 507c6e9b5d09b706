package org.intercomhub.webhook;

import org.intercomhub.IntercomHubApplication;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;

/** The webhook contract against the local PostgreSQL server. */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookPostgresIT extends WebhookContract {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final SandboxServer SANDBOX = WebhookTestSupport.startSandbox();
    static final String SCHEMA = WebhookTestSupport.uniqueSchema("it_wh_pg");
    static final Map<String, Object> PROPERTIES = WebhookTestSupport.properties(SANDBOX, URL, "postgres", SCHEMA);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        WebhookTestSupport.register(registry, PROPERTIES);
    }

    @AfterAll
    static void stopSandboxAndDropSchemas() throws Exception {
        SANDBOX.close();
        WebhookTestSupport.dropSchemas(URL, "postgres", SCHEMA, "DROP SCHEMA IF EXISTS %s CASCADE");
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
