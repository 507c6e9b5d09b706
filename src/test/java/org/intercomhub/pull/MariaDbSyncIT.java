package org.intercomhub.pull;

import org.intercomhub.IntercomHubApplication;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The pull-to-warehouse contract against the local MariaDb server. */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MariaDbSyncIT extends WarehouseSyncContract {

    static final SandboxServer SANDBOX = start();
    static final String SCHEMA = SyncTestSupport.uniqueSchema("it_maria");

    private static SandboxServer start() {
        try {
            return SyncTestSupport.startSandbox();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SyncTestSupport.register(registry, SANDBOX, "jdbc:mariadb://127.0.0.1:3306/test", "root", SCHEMA);
    }

    @AfterAll
    static void stopSandboxAndDropSchemas() throws Exception {
        SANDBOX.close();
        try (var connection = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
             var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS %s".formatted(SCHEMA));
            statement.execute("DROP DATABASE IF EXISTS %s".formatted(SCHEMA + "_hub"));
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
