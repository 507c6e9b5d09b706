package org.intercomhub.pull;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which collections are pulled, and when: {@code sync.collections} in application.yaml, the one list of them. A line
 * there is a pull route (made from the {@code intercom-pull} template by {@link PullRoutes}); a collection without a
 * line is not pulled. Names must be collections the {@link PullCatalog} knows.
 *
 * @param collections collection name → its schedule, in the order of the file
 */
@Validated
@ConfigurationProperties("sync")
public record PullSchedules(@Valid Map<String, Schedule> collections) {

    public PullSchedules {
        collections = collections == null ? Map.of() : new LinkedHashMap<>(collections);
    }

    /**
     * @param enabled false keeps the route stopped: no scheduled or manual runs (SYNC_COLLECTIONS_&lt;NAME&gt;_ENABLED)
     * @param cron    Quartz cron, sec min hour day month weekday (SYNC_COLLECTIONS_&lt;NAME&gt;_CRON)
     */
    public record Schedule(@DefaultValue("true") boolean enabled, @NotBlank String cron) {
    }
}
