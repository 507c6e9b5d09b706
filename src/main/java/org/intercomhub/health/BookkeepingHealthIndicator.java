package org.intercomhub.health;

import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@code bookkeeping}: UP once the Flyway migrations of the hub's own tables succeeded at start-up, with the schema
 * and the version they reached; DOWN before. Part of readiness: nothing that reads those tables can work without.
 */
public class BookkeepingHealthIndicator implements HealthIndicator {

    private final BookkeepingSchema schema;

    public BookkeepingHealthIndicator(BookkeepingSchema schema) {
        this.schema = schema;
    }

    @Override
    public Health health() {
        String version = schema.migratedVersion();
        Health.Builder health = version == null ? Health.down().withDetail("reason", "migrations not applied")
                : Health.up().withDetail("version", version);
        return health.withDetail("schema", schema.name()).build();
    }
}
