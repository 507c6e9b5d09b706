package org.intercomhub.health;

import org.intercomhub.intercom.IntercomClient;
import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's own health indicators, beside Spring Boot's {@code db} (the warehouse connection). Which of them make
 * up the liveness and readiness groups is in application.yaml ({@code management.endpoint.health.group}).
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** {@code intercom} in /actuator/health (the name is the bean's, less "HealthIndicator"). */
    @Bean
    public IntercomHealthIndicator intercomHealthIndicator(IntercomClient client) {
        return new IntercomHealthIndicator(client);
    }

    /** {@code bookkeeping} in /actuator/health and its readiness group. */
    @Bean
    public BookkeepingHealthIndicator bookkeepingHealthIndicator(BookkeepingSchema schema) {
        return new BookkeepingHealthIndicator(schema);
    }
}
