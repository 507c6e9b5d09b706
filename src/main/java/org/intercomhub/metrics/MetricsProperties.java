package org.intercomhub.metrics;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code metrics:} settings.
 *
 * @param databaseGaugesCache how long a gauge read from the database (inbox backlog, queue depth, oldest ages, stored
 *                            dead letters) is kept, so that scrapes and /sync/status do not load the database
 *                            (METRICS_DATABASE_GAUGES_CACHE)
 */
@Validated
@ConfigurationProperties("metrics")
public record MetricsProperties(@NotNull @DurationMin(millis = 0) @DefaultValue("5s") Duration databaseGaugesCache) {
}
