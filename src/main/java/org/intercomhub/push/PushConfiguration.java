package org.intercomhub.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.intercomhub.fanout.BranchMeters;
import org.intercomhub.fanout.BranchRunner;
import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.FailedRunRetries;
import org.intercomhub.sync.SyncApi;
import org.intercomhub.warehouse.WarehouseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.intercomhub.cluster.ClusterRuns;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wires the beans of routes/intercom-push.camel.yaml from the {@code push:} section of application.yaml. */
@Configuration
@EnableConfigurationProperties(PushProperties.class)
public class PushConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PushConfiguration.class);

    @Bean
    public PushSyncs pushSyncs(CamelContext camel) {
        return new PushSyncs(camel);
    }

    @Bean
    public PushState pushState(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, ClusterRuns cluster) {
        PushState state = new PushState(jdbc, schema, clock);
        // clustered, a 'running' row may be another node's live run: the next run of that sync closes it instead
        int interrupted = cluster.clustered() ? 0 : state.markInterrupted();
        if (interrupted > 0) {
            log.info("{} push runs were interrupted when the hub last stopped; their next runs send what they did not",
                    interrupted);
        }
        return state;
    }

    @Bean
    public PushRuns pushRuns(PushSyncs syncs, PushState state, IntercomWriter intercom, ObjectMapper json, Clock clock,
                             MeterRegistry meters, DeadLetters deadLetters, FailedRunRetries retries) {
        return new PushRuns(syncs, state, intercom, json, clock, meters, new PushDeadLetters(deadLetters), retries);
    }


    /** The model databases: the warehouse, and each of push.sources. */
    @Bean(destroyMethod = "close")
    public PushSources pushSources(WarehouseProperties warehouse, PushProperties push) {
        Map<String, PushProperties.Source> sources = new LinkedHashMap<>();
        sources.put("warehouse", new PushProperties.Source(warehouse.url(), warehouse.user(), warehouse.password()));
        sources.putAll(push.sources());
        return new PushSources(sources);
    }

    @Bean
    public PushPreview pushPreview(PushRuns runs, PushSources sources, ObjectMapper json, Clock clock,
                                   PushProperties push) {
        return new PushPreview(runs, sources, json, clock, push.previewSamples());
    }

    /**
     * The push API, and the push syncs' place beside the branches: their dead letters are listed and replayed with
     * the branches' ({@code GET /dead-letters?branch=push}; PushReplay is no Branch bean, which would give it an
     * outbox), and counted in /sync/status and the metrics.
     */
    @Bean
    public PushApi pushApi(CamelContext camel, PushSyncs syncs, PushRuns runs, PushPreview preview, ObjectMapper json,
                           SyncApi syncApi, BranchRunner runner, BranchMeters branchMeters, Clock clock,
                           ClusterRuns cluster) {
        PushApi api = new PushApi(camel, syncs, runs, preview, json, cluster);
        syncApi.addSection("push", api::status);
        runner.addReplayTarget(new PushReplay(syncs, runs, json, clock));
        branchMeters.register(PushDeadLetters.BRANCH, true);
        return api;
    }

    /**
     * Binds what the routes name: the model databases of their jdbc: endpoints, and {@code pushWriters}, the threads
     * a sync writes its rows on (its split's executorService; not a Spring bean, which would replace Spring Boot's
     * task executor). Its queue is short and a full queue makes the splitter write the row itself, so the streamed
     * model is read only as fast as rows are written: memory stays flat whatever the model's size.
     */
    @Bean
    public CamelContextConfiguration pushRoutesSetup(PushSources sources, PushSyncs syncs, PushProperties push) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                sources.all().forEach((name, source) -> camel.getRegistry().bind(PushSources.BEAN_PREFIX + name,
                        source));
                ThreadPoolProfile profile = new ThreadPoolProfile("push-writers");
                profile.setPoolSize(push.concurrency());
                profile.setMaxPoolSize(push.concurrency());
                profile.setMaxQueueSize(push.concurrency() * 4);
                profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
                camel.getRegistry().bind("pushWriters",
                        camel.getExecutorServiceManager().newThreadPool(this, "push-writers", profile));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                if (!syncs.all().isEmpty()) {
                    log.info("Push syncs: {}", syncs.all().keySet());
                }
            }
        };
    }
}
