package org.intercomhub.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.intercomhub.analytics.AmplitudeBranch;
import org.intercomhub.analytics.AnalyticsProperties;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.crm.CrmBranch;
import org.intercomhub.crm.CrmProperties;
import org.intercomhub.metrics.MetricsProperties;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.SyncApi;
import org.intercomhub.sync.SyncStatusBoard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wires the fan-out's non-warehouse branches (routes/fanout.camel.yaml, analytics.camel.yaml, crm.camel.yaml,
 * dead-letters.camel.yaml) from the {@code fanout:}, {@code analytics:} and {@code crm:} sections of
 * application.yaml. A branch runs when switched on (ANALYTICS_ENABLED / CRM_ENABLED, whose credentials are then
 * required: RequiredSettings), or, when nobody switched it, exactly when it has its credentials; else it is off,
 * said once in the log. Never a stand-in: the demo's stub receivers come from the demo profile's settings.
 */
@Configuration
@EnableConfigurationProperties({FanoutProperties.class, AnalyticsProperties.class, CrmProperties.class})
public class FanoutConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FanoutConfiguration.class);

    @Bean
    public CrmBranch crmBranch(CrmProperties crm) {
        return new CrmBranch(crm.toSettings());
    }

    /** The CRM route's call threads (crm.concurrency), bound in Camel's registry: {@link CrmBranch#bindCallThreads}. */
    @Bean
    public CamelContextConfiguration crmCallThreads(CrmProperties crm) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                CrmBranch.bindCallThreads(camel, crm.concurrency());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    @Bean
    public AmplitudeBranch amplitudeBranch(AnalyticsProperties analytics, Clock clock) {
        return new AmplitudeBranch(analytics.toSettings(), clock);
    }

    /**
     * The branches' HTTP client is camel-http's, configured per component (camel.component.http.*): its connect and
     * response timeouts are the longer of analytics.timeout and crm.timeout, unless camel.component.http(s).* says
     * otherwise. Never put timeouts on an endpoint URI: camel-http would send them to the server as a query.
     */
    @Bean
    public ComponentCustomizer branchHttpTimeouts(AnalyticsProperties analytics, CrmProperties crm,
                                                  org.springframework.core.env.Environment env) {
        long timeout = Math.max(analytics.timeout().toMillis(), crm.timeout().toMillis());
        return ComponentCustomizer.builder(HttpComponent.class).build((String name, HttpComponent http) -> {
            String prefix = "camel.component." + name + ".";
            if (!env.containsProperty(prefix + "connect-timeout")) {
                http.setConnectTimeout(timeout);
            }
            if (!env.containsProperty(prefix + "response-timeout")) {
                http.setResponseTimeout(timeout);
            }
        });
    }

    @Bean
    public BranchMeters branchMeters(SyncApi syncApi, MeterRegistry registry) {
        BranchMeters meters = new BranchMeters(registry);
        syncApi.addSection("destinations", meters::snapshot);
        return meters;
    }

    /** All branch beans, and which are switched on. */
    public record Branches(List<Branch> all, List<Branch> enabled) {
    }

    @Bean
    public Branches branches(AnalyticsProperties analytics, CrmProperties crm, List<Branch> all,
                             BranchMeters meters, CamelContext camel) {
        Map<String, Boolean> switched = Map.of("analytics", analytics.active(), "crm", crm.active());
        if (!analytics.active()) {
            log.info(analytics.enabled() == null
                    ? "Analytics branch off: no AMPLITUDE_API_KEY set (set it to send to Amplitude; ANALYTICS_ENABLED=false says off explicitly)"
                    : "Analytics branch off: ANALYTICS_ENABLED=false");
        }
        if (!crm.active()) {
            log.info(crm.enabled() == null
                    ? "CRM branch off: no CRM_BASE_URL set (set it and CRM_API_KEY to send to your CRM; CRM_ENABLED=false says off explicitly)"
                    : "CRM branch off: CRM_ENABLED=false");
        }
        // the endpoints the route files name: {{analytics.url}} is the region's unless AMPLITUDE_URL overrides it;
        // {{crm.base-url}} must be a URL even when the branch is off (its route is built, not started)
        camel.getPropertiesComponent().addOverrideProperty("analytics.url", analytics.endpoint());
        camel.getPropertiesComponent().addOverrideProperty("crm.base-url",
                crm.hasBaseUrl() ? crm.toSettings().baseUrl() : "http://crm-base-url-not-set.invalid");
        List<Branch> enabled = new ArrayList<>();
        for (Branch branch : all) {
            if (branch instanceof CamelContextAware routed) {
                routed.setCamelContext(camel);
            }
            boolean on = switched.getOrDefault(branch.name(), false);
            meters.register(branch.name(), on);
            // the branch's route starts with it: autoStartup: "{{analytics.enabled}}" sees the decision, not the
            // raw setting (which may be unset)
            camel.getPropertiesComponent().addOverrideProperty(branch.name() + ".enabled", Boolean.toString(on));
            if (on) {
                enabled.add(branch);
            }
        }
        return new Branches(all, enabled);
    }

    @Bean
    public BranchOutbox branchOutbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, Branches branches,
                                     BranchMeters meters, RowLeases leases) {
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, clock, branches.enabled(), leases);
        return outbox;
    }

    @Bean
    public DeadLetters deadLetters(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, BranchMeters meters,
                                   BranchOutbox outbox,
                                   MetricsProperties metrics) {
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, clock);
        meters.queuesFrom(new BranchMeters.QueueReader(outbox, deadLetters, clock, metrics.databaseGaugesCache()));
        return deadLetters;
    }

    @Bean
    public BranchRunner branchRunner(Branches branches, BranchOutbox outbox, DeadLetters deadLetters,
                                     BranchMeters meters, Clock clock, FanoutProperties fanout,
                                     SyncStatusBoard pulls) {
        BranchRunner runner = new BranchRunner(branches.all(), outbox, deadLetters, meters, fanout.policy(), clock);
        runner.yieldToPulls(pulls::anyRunning, fanout.yieldToPulls());
        meters.yieldingFrom(runner::isYieldingToPulls);
        return runner;
    }

    @Bean
    public DeadLetterApi deadLetterApi(DeadLetters deadLetters, BranchRunner runner, ObjectMapper json) {
        return new DeadLetterApi(deadLetters, runner, json);
    }
}
