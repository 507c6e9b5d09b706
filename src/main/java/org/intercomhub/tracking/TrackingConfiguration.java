package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.fanout.BranchMeters;
import org.intercomhub.fanout.BranchRunner;
import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.inbox.InboxProperties;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.metrics.MetricsProperties;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.SyncApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * Wires the beans of routes/tracking-api.camel.yaml from the {@code tracking:} section of application.yaml. The API
 * runs when switched on (TRACKING_ENABLED=true, which then requires TRACKING_WRITE_KEYS: RequiredSettings), or, when
 * nobody switched it, exactly when write keys are set; else its routes stay stopped (POST /v1/* answers 404), said
 * once in the log.
 */
@Configuration
@EnableConfigurationProperties(TrackingProperties.class)
public class TrackingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrackingConfiguration.class);

    @Bean
    public WriteKeys trackingWriteKeys(TrackingProperties tracking, CamelContext camel) {
        boolean active = tracking.active();
        if (!active) {
            log.info(tracking.enabled() == null
                    ? "Tracking API off: no TRACKING_WRITE_KEYS set (set them to accept Segment calls at POST /v1/*)"
                    : "Tracking API off: TRACKING_ENABLED=false");
        }
        // the routes start with the decision, not with the raw setting (which may be unset)
        camel.getPropertiesComponent().addOverrideProperty("tracking.active", Boolean.toString(active));
        return new WriteKeys(tracking.keys());
    }

    @Bean
    public TrackingInbox trackingInbox(JdbcTemplate jdbc, BookkeepingSchema schema, ObjectMapper json, Clock clock,
                                       RowLeases leases, InboxProperties inbox) {
        return new TrackingInbox(jdbc, schema, json, clock, leases, inbox);
    }

    @Bean
    public TrackingMeters trackingMeters(MeterRegistry registry, Clock clock, TrackingInbox inbox, SyncApi syncApi,
                                         MetricsProperties metrics) {
        TrackingMeters meters = new TrackingMeters(registry, clock, inbox, metrics.databaseGaugesCache());
        syncApi.addSection("tracking", meters::snapshot);
        return meters;
    }

    @Bean
    public TrackingRequests trackingRequests(WriteKeys keys, TrackingMeters meters, ObjectMapper json, Clock clock) {
        return new TrackingRequests(keys, meters, json, clock);
    }

    @Bean
    public TrackingReceiver trackingReceiver(TrackingInbox inbox, TrackingMeters meters) {
        return new TrackingReceiver(inbox, meters);
    }

    @Bean
    public TrackingApplier trackingApplier(IntercomWriter writer, TrackingInbox inbox, Clock clock) {
        return new TrackingApplier(writer, new AttributeCatalog(writer), inbox, clock);
    }

    @Bean
    public TrackingProcessor trackingProcessor(TrackingInbox inbox, TrackingApplier applier, DeadLetters deadLetters,
                                               TrackingMeters meters, TrackingProperties tracking,
                                               BranchRunner runner, BranchMeters branchMeters, ObjectMapper json,
                                               Clock clock, CamelContext camel) {
        // its dead letters are listed and replayed with the branches' (GET /dead-letters?branch=tracking)
        runner.addReplayTarget(new TrackingReplay(applier));
        branchMeters.register(TrackingProcessor.DEAD_LETTER_BRANCH, tracking.active());
        ExecutorService workers = null;
        if (tracking.concurrency() > 1) {
            // Camel's pool (shut down with the context), in its registry, never a Spring bean
            workers = camel.getExecutorServiceManager().newFixedThreadPool(this, "tracking-apply",
                    tracking.concurrency());
            camel.getRegistry().bind("trackingWorkers", workers);
        }
        return new TrackingProcessor(inbox, applier, deadLetters, meters, tracking, json, clock, workers);
    }
}
