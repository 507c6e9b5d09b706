package org.intercomhub.pull;

import org.intercomhub.IntercomHubApplication;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The pull-to-warehouse contract against the local Postgres server. */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresSyncIT extends WarehouseSyncContract {

    static final SandboxServer SANDBOX = start();
    static final String SCHEMA = SyncTestSupport.uniqueSchema("it_pg");

    private static SandboxServer start() {
        try {
            return SyncTestSupport.startSandbox();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SyncTestSupport.register(registry, SANDBOX, "jdbc:postgresql://127.0.0.1:5432/test", "postgres", SCHEMA);
    }

    @AfterAll
    static void stopSandboxAndDropSchemas() throws Exception {
        SANDBOX.close();
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS %s CASCADE".formatted(SCHEMA));
            statement.execute("DROP SCHEMA IF EXISTS %s CASCADE".formatted(SCHEMA + "_hub"));
        }
    }

    @Override
    SandboxServer sandbox() {
        return SANDBOX;
    }

    @Override
    String schema() {
        return SCHEMA;
    }
}
