package org.intercomhub.fanout;

import org.intercomhub.IntercomHubApplication;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The fan-out contract against the local MariaDB server. */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FanoutMariaDbIT extends FanoutContract {

    static final String URL = "jdbc:mariadb://127.0.0.1:3306/test";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, URL, "root");
    }

    @AfterAll
    static void stop() throws Exception {
        dropSchemas(URL, "root", "DROP DATABASE IF EXISTS %s");
    }
}
