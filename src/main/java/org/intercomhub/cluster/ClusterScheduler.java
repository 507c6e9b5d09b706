package org.intercomhub.cluster;

import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.warehouse.H2Dialect;
import org.intercomhub.warehouse.MariaDbDialect;
import org.intercomhub.warehouse.SqlDialect;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The Quartz scheduler the {@code quartz} component runs the scheduled pulls and push syncs on. On PostgreSQL and
 * MariaDB/MySQL: Quartz's clustered JDBC job store on the bookkeeping schema's {@code QRTZ_*} tables (migration V6),
 * so every instance on that schema shares one set of jobs and each firing runs on one node only ({@code stateful}
 * jobs never overlap cluster-wide), and a node that stops checking in has its running jobs recovered by another. On
 * H2 (the demo): the in-memory store, single node.
 *
 * <p>Given to camel-quartz as its {@link SchedulerFactory}, so the component still puts the CamelContext into the
 * scheduler's context (CamelJob looks the route up there by the context's name, the same on every node) and shuts
 * the scheduler down with the context.
 */
public class ClusterScheduler implements SchedulerFactory {

    /** Quartz's SCHED_NAME: the same on every node, which is what makes them one cluster. */
    static final String CLUSTER_NAME = "intercom-hub";

    private final Properties properties;
    private final boolean clustered;
    private Scheduler scheduler;

    private ClusterScheduler(Properties properties, boolean clustered) {
        this.properties = properties;
        this.clustered = clustered;
    }

    public static ClusterScheduler on(DataSource dataSource, SqlDialect dialect, BookkeepingSchema schema,
                                      ClusterNode node, ClusterProperties settings, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        // a job that was running when the scheduler stops is recovered where the store is shared
        p.setProperty("org.quartz.scheduler.interruptJobsOnShutdown", "false");
        boolean clustered = !(dialect instanceof H2Dialect);
        if (!clustered) {
            // unique per context: the in-memory store is this node's alone
            p.setProperty("org.quartz.scheduler.instanceName", CLUSTER_NAME + "-" + UUID.randomUUID());
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            return new ClusterScheduler(p, false);
        }
        // Quartz finds its connections by name in a JVM-wide registry: a name per application context
        String connections = "hub-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(connections, new SpringConnections(dataSource));
        p.setProperty("org.quartz.scheduler.instanceName", CLUSTER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", node.name());
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", dialect instanceof MariaDbDialect
                ? "org.quartz.impl.jdbcjobstore.StdJDBCDelegate" : "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", connections);
        p.setProperty("org.quartz.jobStore.tablePrefix", schema.table("QRTZ_"));
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(settings.checkinInterval().toMillis()));
        // nodes racing for the same due trigger queue on Quartz's row lock rather than fail
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return new ClusterScheduler(p, true);
    }

    public boolean clustered() {
        return clustered;
    }

    @Override
    public synchronized Scheduler getScheduler() throws SchedulerException {
        if (scheduler == null) {
            SchedulerRepository repository = SchedulerRepository.getInstance();
            synchronized (repository) {
                scheduler = new StdSchedulerFactory(properties).getScheduler();
                // Quartz keeps schedulers in a JVM-wide registry by name and would hand a second node in the same
                // JVM (a test's second app context) this one; as Spring's SchedulerFactoryBean does, keep it out
                repository.remove(scheduler.getSchedulerName());
            }
        }
        return scheduler;
    }

    @Override
    public Scheduler getScheduler(String name) throws SchedulerException {
        Scheduler own = getScheduler();
        return own.getSchedulerName().equals(name) ? own : null;
    }

    @Override
    public Collection<Scheduler> getAllSchedulers() throws SchedulerException {
        return List.of(getScheduler());
    }

    /** Quartz's connections from the hub's pool. */
    private record SpringConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the application context
        }

        @Override
        public void initialize() {
        }
    }
}
