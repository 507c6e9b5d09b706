package org.intercomhub.fanout;

import org.intercomhub.IntercomHubApplication;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The fan-out contract against the local PostgreSQL server. */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FanoutPostgresIT extends FanoutContract {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, URL, "postgres");
    }

    @AfterAll
    static void stop() throws Exception {
        dropSchemas(URL, "postgres", "DROP SCHEMA IF EXISTS %s CASCADE");
    }
}
