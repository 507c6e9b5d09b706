package org.intercomhub;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.intercomhub.intercom.IntercomClient;
import org.intercomhub.intercom.IntercomRegion;
import org.intercomhub.intercom.IntercomSettings;
import org.intercomhub.intercom.RateLimiter;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.pull.PullRuns;
import org.intercomhub.record.AttributeColumns;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.record.WarehouseTables;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.CheckpointStore;
import org.intercomhub.sync.SyncApi;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.intercomhub.warehouse.SqlDialect;
import org.intercomhub.warehouse.TableManager;
import org.intercomhub.warehouse.ViewSpec;
import org.intercomhub.warehouse.WarehouseUpsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** Wires the beans the routes call, from application.yaml. */
@Configuration
public class HubConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HubConfiguration.class);

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** The simulated workspace, started only when no access token is configured. */
    public record EmbeddedSandbox(Optional<SandboxServer> server) implements AutoCloseable {
        @Override
        public void close() {
            server.ifPresent(SandboxServer::close);
        }
    }

    @Bean(destroyMethod = "close")
    public EmbeddedSandbox sandbox(Environment env) throws IOException {
        if (!env.getProperty("intercom.access-token", "").isBlank()) {
            return new EmbeddedSandbox(Optional.empty());
        }
        SandboxConfig config = SandboxConfig.defaults().toBuilder()
                .port(env.getProperty("sandbox.port", Integer.class, 8089))
                .seed(env.getProperty("sandbox.seed", Long.class, 42L))
                .contacts(env.getProperty("sandbox.contacts", Integer.class, 2000))
                .companies(env.getProperty("sandbox.companies", Integer.class, 300))
                .conversations(env.getProperty("sandbox.conversations", Integer.class, 1000))
                .rateLimitPer10s(env.getProperty("sandbox.rate-limit-per-10s", Integer.class, 0))
                .build();
        SandboxServer server = SandboxServer.start(config);
        log.info("No INTERCOM_ACCESS_TOKEN set: syncing the Intercom sandbox at {} ({} contacts, {} companies, "
                + "{} conversations)", server.baseUrl(), config.contacts(), config.companies(), config.conversations());
        return new EmbeddedSandbox(Optional.of(server));
    }

    @Bean
    public IntercomSettings intercomSettings(Environment env, EmbeddedSandbox embedded) {
        Optional<SandboxServer> sandbox = embedded.server();
        IntercomSettings.Builder settings = IntercomSettings.builder()
                .region(IntercomRegion.valueOf(env.getProperty("intercom.region", "us").toUpperCase(Locale.ROOT)))
                .version(env.getProperty("intercom.version", IntercomSettings.DEFAULT_VERSION))
                .connectTimeout(env.getProperty("intercom.connect-timeout", Duration.class, Duration.ofSeconds(10)))
                .responseTimeout(env.getProperty("intercom.response-timeout", Duration.class, Duration.ofSeconds(60)))
                .maxRetries(env.getProperty("intercom.max-retries", Integer.class, 6))
                .initialBackoff(env.getProperty("intercom.initial-backoff", Duration.class, Duration.ofMillis(500)))
                .maxBackoff(env.getProperty("intercom.max-backoff", Duration.class, Duration.ofSeconds(30)))
                .rateLimitReserve(env.getProperty("intercom.rate-limit-reserve", Double.class, 0.0));
        if (sandbox.isPresent()) {
            settings.accessToken(sandbox.get().config().accessToken()).baseUrl(sandbox.get().baseUrl());
        } else {
            settings.accessToken(env.getProperty("intercom.access-token"))
                    .baseUrl(env.getProperty("intercom.base-url", ""));
        }
        return settings.build();
    }

    @Bean
    public RateLimiter rateLimiter(IntercomSettings settings) {
        return RateLimiter.forSettings(settings);
    }

    @Bean
    public IntercomClient intercomClient(IntercomSettings settings, RateLimiter rateLimiter) {
        return new IntercomClient(settings, rateLimiter);
    }

    @Bean
    public SqlDialect sqlDialect(DataSource dataSource) {
        return SqlDialect.detect(dataSource);
    }

    @Bean
    public WarehouseUpsert warehouseUpsert(DataSource dataSource, SqlDialect dialect, Clock clock,
                                           @Value("${warehouse.schema:intercom}") String schema) {
        TableManager tables = new TableManager(dataSource, dialect, schema);
        WarehouseTables.all().values().forEach(tables::ensureTable);
        WarehouseTables.CONTACT_ROLE_VIEWS.forEach((view, role) ->
                tables.ensureView(ViewSpec.whereEquals(view, "contacts", "role", role)));
        return new WarehouseUpsert(dataSource, tables, WarehouseTables.all(), clock);
    }

    @Bean
    public BookkeepingSchema bookkeepingSchema(JdbcTemplate jdbc,
                                               @Value("${warehouse.bookkeeping-schema:intercom_hub}") String schema) {
        BookkeepingSchema bookkeeping = new BookkeepingSchema(jdbc, schema);
        bookkeeping.migrate();
        return bookkeeping;
    }

    @Bean
    public CheckpointStore checkpointStore(JdbcTemplate jdbc, BookkeepingSchema schema) {
        return new CheckpointStore(jdbc, schema);
    }

    @Bean
    public SyncStatusBoard syncStatusBoard(CheckpointStore checkpoints, JdbcTemplate jdbc, BookkeepingSchema schema,
                                           Clock clock) {
        SyncStatusBoard board = new SyncStatusBoard(checkpoints, jdbc, schema, clock);
        int interrupted = board.markInterruptedRuns();
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
                             RecordMapper mapper, Clock clock, Environment env) {
        return new PullRuns(catalog, client, rateLimiter, checkpoints, status, warehouse, mapper, clock,
                env.getProperty("intercom.per-page", Integer.class, 150),
                env.getProperty("sync.contact-notes", Boolean.class, true),
                env.getProperty("sync.progress-every", Duration.class, Duration.ofSeconds(5)));
    }

    @Bean
    public SyncTrigger syncTrigger(CamelContext camel, SyncStatusBoard status, PullCatalog catalog) {
        return new SyncTrigger(camel, status, catalog.names());
    }

    @Bean
    public SyncApi syncApi(SyncStatusBoard status, SyncTrigger trigger, ObjectMapper json) {
        return new SyncApi(status, trigger, json);
    }

    /** camel-quartz without its starter: a thread per collection so no scheduled pull waits for another. */
    @Bean("quartz")
    public QuartzComponent quartz(PullCatalog catalog) {
        QuartzComponent quartz = new QuartzComponent();
        Properties properties = new Properties();
        // unique per application context: Quartz keeps schedulers in a JVM-wide registry by name
        properties.setProperty("org.quartz.scheduler.instanceName", "intercom-hub-" + java.util.UUID.randomUUID());
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(catalog.names().size() + 2));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        quartz.setProperties(properties);
        return quartz;
    }

    /** The first sync starts as soon as the routes are up, then the schedules take over. */
    @Bean
    public CamelContextConfiguration runOnStartup(SyncTrigger trigger,
                                                  @Value("${sync.run-on-startup:true}") boolean runOnStartup) {
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
