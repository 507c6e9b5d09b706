package org.intercomhub.push;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.Map;

/**
 * The {@code push:} settings, shared by every sync of routes/intercom-push.camel.yaml.
 *
 * @param concurrency    rows of one sync written to Intercom at a time (PUSH_CONCURRENCY); the rate budget, shared
 *                       with the pulls, still bounds the requests
 * @param previewSamples rows shown per outcome by {@code POST /push/{sync}/preview} (PUSH_PREVIEW_SAMPLES)
 * @param sources        further databases a sync's {@code source} may name, besides {@code warehouse}
 *                       (PUSH_SOURCES_<NAME>_URL, _USER, _PASSWORD)
 */
@Validated
@ConfigurationProperties("push")
public record PushProperties(@Min(1) @Max(64) @DefaultValue("4") int concurrency,
                             @Min(0) @Max(100) @DefaultValue("5") int previewSamples,
                             @Valid Map<String, Source> sources) {

    public PushProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /** A database a push model is read from. */
    public record Source(@NotBlank String url, String user, String password) {
    }
}
