package org.intercomhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;

/**
 * Spring Boot's Flyway auto-configuration is off: it would migrate the warehouse's default schema. The hub's own
 * tables are migrated in the bookkeeping schema by {@link org.intercomhub.sync.BookkeepingSchema#migrate()}, which
 * every bean using them waits for.
 */
@SpringBootApplication(exclude = FlywayAutoConfiguration.class)
public class IntercomHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(IntercomHubApplication.class, args);
    }
}
