package org.intercomhub.fanout;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.analytics.AmplitudeBranch;
import org.intercomhub.analytics.AnalyticsSettings;
import org.intercomhub.crm.CrmBranch;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.crm.CrmSettings;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.SyncApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wires the fan-out's non-warehouse branches (routes/fanout.camel.yaml, analytics.camel.yaml, crm.camel.yaml,
 * dead-letters.camel.yaml) from the {@code fanout:}, {@code analytics:} and {@code crm:} sections of
 * application.yaml. A branch without credentials is pointed at a stub receiver served by the app itself.
 */
@Configuration
public class FanoutConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FanoutConfiguration.class);
    static final String SANDBOX_KEY = "sandbox-key";

    /** The stub CRM, started only when the CRM branch is on and no CRM_BASE_URL is set. */
    public record EmbeddedCrmStub(Optional<CrmStub> stub) implements AutoCloseable {
        @Override
        public void close() {
            stub.ifPresent(CrmStub::close);
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedCrmStub crmStub(Environment env) {
        if (!env.getProperty("crm.enabled", Boolean.class, true) || !env.getProperty("crm.base-url", "").isBlank()) {
            return new EmbeddedCrmStub(Optional.empty());
        }
        CrmStub stub = new CrmStub(env.getProperty("crm.stub-port", Integer.class, 0), SANDBOX_KEY);
        log.info("No CRM_BASE_URL set: the CRM branch sends to the stub records API at {}", stub.baseUrl());
        return new EmbeddedCrmStub(Optional.of(stub));
    }

    @Bean
    public CrmBranch crmBranch(Environment env, EmbeddedCrmStub stub) {
        boolean onStub = stub.stub().isPresent();
        CrmSettings settings = new CrmSettings(
                onStub ? stub.stub().get().baseUrl() : env.getProperty("crm.base-url", ""),
                onStub ? SANDBOX_KEY : env.getProperty("crm.api-key", ""),
                CrmSettings.mode(env.getProperty("crm.sync-mode", "create")),
                env.getProperty("crm.account-key-field", "company_id"),
                env.getProperty("crm.user-key-field", "user_id"),
                env.getProperty("crm.delete-users", Boolean.class, false),
                env.getProperty("crm.timeout", Duration.class, Duration.ofSeconds(30)));
        return new CrmBranch(settings);
    }

    /** The stub Amplitude, started only when the analytics branch is on and no AMPLITUDE_API_KEY is set. */
    public record EmbeddedAmplitudeStub(Optional<AmplitudeStub> stub) implements AutoCloseable {
        @Override
        public void close() {
            stub.ifPresent(AmplitudeStub::close);
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedAmplitudeStub amplitudeStub(Environment env) {
        if (!env.getProperty("analytics.enabled", Boolean.class, true)
                || !env.getProperty("analytics.api-key", "").isBlank()) {
            return new EmbeddedAmplitudeStub(Optional.empty());
        }
        AmplitudeStub stub = new AmplitudeStub(env.getProperty("analytics.stub-port", Integer.class, 0), SANDBOX_KEY);
        // benchmarks: throttle this share of users once (0 = never)
        stub.throttleShareOnce(env.getProperty("analytics.stub-throttle-percent", Integer.class, 0));
        log.info("No AMPLITUDE_API_KEY set: the analytics branch sends to the stub Amplitude at {}", stub.url());
        return new EmbeddedAmplitudeStub(Optional.of(stub));
    }

    @Bean
    public AmplitudeBranch amplitudeBranch(Environment env, EmbeddedAmplitudeStub stub, Clock clock) {
        boolean onStub = stub.stub().isPresent();
        String override = env.getProperty("analytics.url", "");
        AnalyticsSettings settings = new AnalyticsSettings(
                onStub ? stub.stub().get().url()
                        : !override.isBlank() ? override : AnalyticsSettings.regionUrl(env.getProperty("analytics.region", "us")),
                onStub ? SANDBOX_KEY : env.getProperty("analytics.api-key", ""),
                AnalyticsSettings.userIdField(env.getProperty("analytics.user-id-field", "user_id")),
                env.getProperty("analytics.max-events-per-request", Integer.class, 2000),
                env.getProperty("analytics.max-request-bytes", Integer.class, 1_000_000),
                env.getProperty("analytics.throttle-pause", Duration.class, Duration.ofSeconds(30)),
                env.getProperty("analytics.timeout", Duration.class, Duration.ofSeconds(30)));
        return new AmplitudeBranch(settings, clock);
    }

    @Bean
    public DestinationStats destinationStats(SyncApi syncApi) {
        DestinationStats stats = new DestinationStats();
        syncApi.addSection("destinations", stats::snapshot);
        return stats;
    }

    /** All branch beans, and which are switched on. */
    public record Branches(List<Branch> all, List<Branch> enabled) {
    }

    @Bean
    public Branches branches(Environment env, List<Branch> all, DestinationStats stats) {
        List<Branch> enabled = new ArrayList<>();
        for (Branch branch : all) {
            boolean on = env.getProperty(branch.name() + ".enabled", Boolean.class, true);
            stats.register(branch.name(), on);
            if (on) {
                enabled.add(branch);
            }
        }
        return new Branches(all, enabled);
    }

    @Bean
    public BranchOutbox branchOutbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, Branches branches,
                                     DestinationStats stats) {
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, clock, branches.enabled());
        return outbox;
    }

    @Bean
    public DeadLetters deadLetters(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, DestinationStats stats,
                                   BranchOutbox outbox) {
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, clock);
        stats.backlogFrom(branch -> {
            java.util.Map<String, Long> backlog = new java.util.LinkedHashMap<>(outbox.backlog(branch));
            backlog.put("dead_letters_now", deadLetters.count(branch));
            return backlog;
        });
        return deadLetters;
    }

    @Bean
    public BranchRunner branchRunner(Branches branches, BranchOutbox outbox, DeadLetters deadLetters,
                                     DestinationStats stats, Clock clock, Environment env) {
        BranchRunner.Policy policy = new BranchRunner.Policy(
                env.getProperty("fanout.batch-size", Integer.class, 500),
                env.getProperty("fanout.max-attempts", Integer.class, 8),
                env.getProperty("fanout.initial-backoff", Duration.class, Duration.ofSeconds(1)),
                env.getProperty("fanout.max-backoff", Duration.class, Duration.ofMinutes(5)));
        return new BranchRunner(branches.all(), outbox, deadLetters, stats, policy, clock);
    }

    @Bean
    public DeadLetterApi deadLetterApi(DeadLetters deadLetters, BranchRunner runner, ObjectMapper json) {
        return new DeadLetterApi(deadLetters, runner, json);
    }
}
