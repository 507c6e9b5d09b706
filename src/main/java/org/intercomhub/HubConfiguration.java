package org.intercomhub;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.intercomhub.cluster.ClusterHeartbeat;
import org.intercomhub.cluster.ClusterNode;
import org.intercomhub.cluster.ClusterProperties;
import org.intercomhub.cluster.ClusterRuns;
import org.intercomhub.cluster.ClusterScheduler;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.cluster.SharedRateBudget;
import org.intercomhub.intercom.IntercomClient;
import org.intercomhub.intercom.IntercomProperties;
import org.intercomhub.intercom.IntercomSettings;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.intercom.RateLimiter;
import org.intercomhub.metrics.MetricsProperties;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.pull.PullRoutes;
import org.intercomhub.pull.PullSchedules;
import org.intercomhub.pull.PullRuns;
import org.intercomhub.record.AttributeColumns;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.record.WarehouseTables;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.CheckpointStore;
import org.intercomhub.sync.FailedRunRetries;
import org.intercomhub.sync.SyncApi;
import org.intercomhub.sync.SyncProperties;
import org.intercomhub.sync.SyncStatusBoard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.sync.SyncTrigger;
import org.intercomhub.warehouse.SqlDialect;
import org.intercomhub.warehouse.TableManager;
import org.intercomhub.warehouse.ViewSpec;
import org.intercomhub.warehouse.WarehouseProperties;
import org.intercomhub.warehouse.WarehouseUpsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Map;

/**
 * Wires the beans the routes call, from the typed settings of application.yaml. Production wiring only: the demo's
 * sandbox and stub receivers are added under the demo profile (DemoConfiguration, application-demo.yaml).
 */
@Configuration
@EnableConfigurationProperties({IntercomProperties.class, WarehouseProperties.class, SyncProperties.class,
        PullSchedules.class, MetricsProperties.class, ClusterProperties.class})
public class HubConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HubConfiguration.class);

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public IntercomSettings intercomSettings(IntercomProperties intercom) {
        return intercom.toSettings();
    }

    /**
     * The limiter shared by every Intercom call, and its meters: {@code hub.intercom.rate.budget} (requests left in the
     * current window after the reserve, -1 while unknown), {@code hub.intercom.rate.limit}, {@code
     * hub.intercom.rate.waited} (seconds callers spent waiting for a window to reset) and {@code
     * hub.intercom.rate.throttled} (429 answers). Clustered, it also paces on the app's budget shared by every
     * instance (SharedRateBudget).
     */
    @Bean
    public RateLimiter rateLimiter(IntercomSettings settings, MeterRegistry meters, ClusterRuns cluster,
                                   JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock) {
        RateLimiter limiter = RateLimiter.forSettings(settings);
        if (cluster.clustered()) {
            // the other instances spend the same app's budget: each request also takes one from the shared row
            limiter.sharing(new SharedRateBudget(jdbc, schema, settings.appKey(), clock));
        }
        Gauge.builder("hub.intercom.rate.budget", limiter, RateLimiter::budgetRemaining)
                .description("Intercom requests this app may still send in the current window (-1: unknown)")
                .register(meters);
        if (cluster.clustered()) {
            // read from the shared row at each scrape: every node reports the same figure
            Gauge.builder("hub.intercom.rate.shared.budget", limiter, l -> l.shared().remaining())
                    .description("Intercom requests all instances together may still send in the current window, "
                            + "from the shared bookkeeping row (-1: unknown until the next answer)")
                    .register(meters);
        }
        Gauge.builder("hub.intercom.rate.limit", limiter, RateLimiter::limit)
                .description("X-RateLimit-Limit as Intercom last reported it (-1: unknown)").register(meters);
        FunctionCounter.builder("hub.intercom.rate.waited", limiter, l -> l.waitedMillis() / 1000.0)
                .baseUnit("seconds").description("Time spent waiting for Intercom's rate-limit window to reset")
                .register(meters);
        FunctionCounter.builder("hub.intercom.rate.throttled", limiter, RateLimiter::throttledCount)
                .description("429 answers from Intercom").register(meters);
        return limiter;
    }

    @Bean
    public IntercomClient intercomClient(IntercomSettings settings, RateLimiter rateLimiter) {
        return new IntercomClient(settings, rateLimiter);
    }

    /** Writes into Intercom (push syncs, tracking API) through the same client, so on the same rate budget. */
    @Bean
    public IntercomWriter intercomWriter(IntercomClient client) {
        return new IntercomWriter(client);
    }

    @Bean
    public SqlDialect sqlDialect(DataSource dataSource) {
        return SqlDialect.detect(dataSource);
    }

    @Bean
    public WarehouseUpsert warehouseUpsert(DataSource dataSource, SqlDialect dialect, Clock clock,
                                           WarehouseProperties warehouse) {
        TableManager tables = new TableManager(dataSource, dialect, warehouse.schema());
        WarehouseTables.all().values().forEach(tables::ensureTable);
        WarehouseTables.CONTACT_ROLE_VIEWS.forEach((view, role) ->
                tables.ensureView(ViewSpec.whereEquals(view, "contacts", "role", role)));
        return new WarehouseUpsert(dataSource, tables, WarehouseTables.all(), clock);
    }

    @Bean
    public BookkeepingSchema bookkeepingSchema(JdbcTemplate jdbc, WarehouseProperties warehouse) {
        BookkeepingSchema bookkeeping = new BookkeepingSchema(jdbc, warehouse.bookkeepingSchema());
        bookkeeping.migrate();
        return bookkeeping;
    }

    @Bean
    public CheckpointStore checkpointStore(JdbcTemplate jdbc, BookkeepingSchema schema) {
        return new CheckpointStore(jdbc, schema);
    }

    @Bean
    public SyncStatusBoard syncStatusBoard(CheckpointStore checkpoints, JdbcTemplate jdbc, BookkeepingSchema schema,
                                           Clock clock, MeterRegistry meters, PullSchedules schedules,
                                           ClusterRuns cluster) {
        SyncStatusBoard board = new SyncStatusBoard(checkpoints, jdbc, schema, clock, meters);
        schedules.collections().forEach((collection, schedule) -> board.schedule(collection, schedule.cron()));
        int interrupted = cluster.clustered() ? 0 : board.markInterruptedRuns();
        if (interrupted > 0) {
            log.info("{} runs were interrupted when the hub last stopped; they resume from their checkpoints",
                    interrupted);
        }
        return board;
    }

    @Bean
    public PullCatalog pullCatalog() {
        return new PullCatalog();
    }

    @Bean
    public RecordMapper recordMapper(JdbcTemplate jdbc, BookkeepingSchema schema) {
        return new RecordMapper(AttributeColumns.stored(jdbc, schema.table("attribute_columns")));
    }

    @Bean
    public PullRuns pullRuns(PullCatalog catalog, IntercomClient client, RateLimiter rateLimiter,
                             CheckpointStore checkpoints, SyncStatusBoard status, WarehouseUpsert warehouse,
                             RecordMapper mapper, Clock clock, IntercomProperties intercom, SyncProperties sync,
                             FailedRunRetries retries) {
        return new PullRuns(catalog, client, rateLimiter, checkpoints, status, warehouse, mapper, clock,
                intercom.perPage(), sync.contactNotes(), sync.progressEvery(), retries);
    }

    /** Failed pull and push runs run again before their next schedule (sync.retry-failed-runs). */
    @Bean
    public FailedRunRetries failedRunRetries(CamelContext camel, SyncProperties sync, Clock clock) {
        return new FailedRunRetries(camel, sync.retryFailedRuns(), sync.retryBackoff(), clock);
    }

    /** The pull routes, one per line of sync.collections. */
    @Bean
    public PullRoutes pullRoutes(PullSchedules schedules, PullCatalog catalog) {
        return new PullRoutes(schedules, catalog);
    }

    @Bean
    public SyncTrigger syncTrigger(CamelContext camel, SyncStatusBoard status, PullRoutes pulls, ClusterRuns cluster) {
        return new SyncTrigger(camel, status, pulls.collections(), cluster);
    }

    @Bean
    public ClusterNode clusterNode(ClusterProperties cluster) {
        return ClusterNode.of(cluster);
    }

    /**
     * Quartz for the scheduled pulls and push syncs: clustered on the bookkeeping schema (PostgreSQL, MariaDB), so each
     * run fires on one node; in memory on H2. A thread per collection, and some for the push syncs of
     * routes/intercom-push.camel.yaml (counted only after the routes are loaded); a job that finds no free thread
     * waits for one, it is not lost.
     */
    @Bean
    public ClusterScheduler clusterScheduler(DataSource dataSource, SqlDialect dialect, BookkeepingSchema schema,
                                             ClusterNode node, ClusterProperties cluster, PullRoutes pulls) {
        ClusterScheduler scheduler = ClusterScheduler.on(dataSource, dialect, schema, node, cluster,
                pulls.collections().size() + 8);
        if (scheduler.clustered()) {
            log.info("Scheduled pulls and pushes run in Quartz's cluster on {} as node {}", schema.name(), node.name());
        }
        return scheduler;
    }

    /** This node's heartbeat row; on H2 also the warning when a second instance shares the database. */
    @Bean(initMethod = "start", destroyMethod = "close")
    public ClusterHeartbeat clusterHeartbeat(JdbcTemplate jdbc, BookkeepingSchema schema, ClusterNode node, Clock clock,
                                             ClusterProperties cluster, ClusterScheduler scheduler) {
        return new ClusterHeartbeat(jdbc, schema, node, clock, cluster.checkinInterval(), !scheduler.clustered());
    }

    /** The queues' row leases (webhook inbox, branch outbox, tracking inbox), owned by this node. */
    @Bean
    public RowLeases rowLeases(JdbcTemplate jdbc, ClusterNode node, Clock clock, ClusterProperties cluster) {
        return new RowLeases(jdbc, node, clock, cluster.queueLease());
    }

    @Bean
    public ClusterRuns clusterRuns(JdbcTemplate jdbc, BookkeepingSchema schema, ClusterScheduler scheduler,
                                   ClusterNode node) {
        return new ClusterRuns(jdbc, schema, scheduler.clustered(), node);
    }

    @Bean
    public SyncApi syncApi(SyncStatusBoard status, SyncTrigger trigger, ObjectMapper json, ClusterHeartbeat heartbeat,
                           ClusterRuns cluster, FailedRunRetries retries, RateLimiter limiter) {
        SyncApi api = new SyncApi(status, trigger, json, retries);
        // which nodes share this bookkeeping schema, as their heartbeats say, and the app's budget they share
        api.addSection("cluster", () -> {
            Map<String, Object> section = heartbeat.status(cluster.clustered());
            section.put("shared_budget", limiter.shared().status());
            return section;
        });
        return api;
    }

    /** camel-quartz without its starter, on the hub's scheduler (it starts and stops it with the routes). */
    @Bean("quartz")
    public QuartzComponent quartz(ClusterScheduler scheduler) {
        QuartzComponent quartz = new QuartzComponent();
        quartz.setSchedulerFactory(scheduler);
        return quartz;
    }

    /** The first sync starts as soon as the routes are up, then the schedules take over. */
    @Bean
    public CamelContextConfiguration runOnStartup(SyncTrigger trigger, SyncProperties sync) {
        boolean runOnStartup = sync.runOnStartup();
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                if (runOnStartup) {
                    trigger.triggerAll();
                }
            }
        };
    }
}
