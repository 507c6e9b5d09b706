package org.intercomhub.pull;

import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItDatabase;
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

    static final SandboxServer SANDBOX = SyncTestSupport.startSandbox();
    static final String SCHEMA = ItDatabase.uniqueSchema("it_maria");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SyncTestSupport.register(registry, SANDBOX, ItDatabase.MARIADB.url, ItDatabase.MARIADB.user, SCHEMA);
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
}
