package org.intercomhub.fanout;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.crm.CrmBranch;
import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A branch's route file (routes/analytics.camel.yaml, routes/crm.camel.yaml) in a Camel context of its own, with the
 * branch bean, the settings a test chooses and the branch's queue on an in-memory H2: the branch delivers through
 * the route's camel-http endpoint exactly as in the application. The timer route starts only when the settings say
 * {@code <branch>.enabled=true}.
 */
public final class BranchRoutes implements AutoCloseable {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final BranchOutbox outbox;
    private final DeadLetters deadLetters;
    private final BranchMeters stats = new BranchMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    private final BranchRunner runner;

    private BranchRoutes(String routeFile, Map<String, String> settings, String beanName, RoutedBranch branch) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:branch-routes-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        outbox = new BranchOutbox(jdbc, schema, Clock.systemUTC(), List.of(branch));
        deadLetters = new DeadLetters(jdbc, schema, Clock.systemUTC());
        stats.register(branch.name(), true);
        Map<String, String> all = new HashMap<>(Map.of(branch.name() + ".enabled", "false",
                "fanout.poll-interval-ms", "20", "fanout.batch-size", "500", "fanout.max-attempts", "3"));
        all.putAll(settings);
        runner = new BranchRunner(List.of(branch), outbox, deadLetters, stats,
                new BranchRunner.Policy(Integer.parseInt(all.get("fanout.batch-size")),
                        Integer.parseInt(all.get("fanout.max-attempts")), Duration.ofMillis(10), Duration.ofMillis(100)),
                Clock.systemUTC());
        Properties properties = new Properties();
        properties.putAll(all);
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind(beanName, branch);
        camel.getRegistry().bind("branchRunner", runner);
        if (branch instanceof CrmBranch) {
            CrmBranch.bindCallThreads(camel, Integer.parseInt(all.getOrDefault("crm.concurrency", "4")));
        }
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, routeFile));
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + routeFile, e);
        }
        branch.setCamelContext(camel);
    }

    /** Starts the route file with the settings given and the branch bound as {@code beanName}. */
    public static BranchRoutes start(String routeFile, Map<String, String> settings, String beanName,
                                     RoutedBranch branch) {
        return new BranchRoutes(routeFile, settings, beanName, branch);
    }

    public CamelContext camel() {
        return camel;
    }

    public BranchOutbox outbox() {
        return outbox;
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }

    public BranchMeters stats() {
        return stats;
    }

    public BranchRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
