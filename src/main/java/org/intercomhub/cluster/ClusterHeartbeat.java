package org.intercomhub.cluster;

import org.intercomhub.sync.BookkeepingSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes this node's row of {@code cluster_nodes} every check-in interval. Single-node stores (H2, the demo) also
 * read the others' rows: a second live instance on the same H2 database gets every scheduled pull twice, so both
 * say so in their logs.
 */
public class ClusterHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterHeartbeat.class);

    private final JdbcTemplate jdbc;
    private final String table;
    private final ClusterNode node;
    private final Clock clock;
    private final Duration interval;
    private final boolean warnOnOthers;
    private final Set<String> warnedAbout = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cluster-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    public ClusterHeartbeat(JdbcTemplate jdbc, BookkeepingSchema schema, ClusterNode node, Clock clock,
                            Duration interval, boolean singleNodeStore) {
        this.jdbc = jdbc;
        this.table = schema.table("cluster_nodes");
        this.node = node;
        this.clock = clock;
        this.interval = interval;
        this.warnOnOthers = singleNodeStore;
    }

    public void start() {
        long now = clock.millis();
        // a node restarted under the same name (CLUSTER_NODE_NAME) finds its old row
        if (jdbc.update("UPDATE " + table + " SET started_at = ?, heartbeat_at = ? WHERE node = ?", now, now,
                node.name()) == 0) {
            jdbc.update("INSERT INTO " + table + " (node, started_at, heartbeat_at) VALUES (?, ?, ?)", node.name(), now,
                    now);
        }
        beat();
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void beat() {
        try {
            long now = clock.millis();
            jdbc.update("UPDATE " + table + " SET heartbeat_at = ? WHERE node = ?", now, node.name());
            // rows of nodes silent for long are gone for good
            jdbc.update("DELETE FROM " + table + " WHERE heartbeat_at < ?", now - 100 * interval.toMillis());
            if (warnOnOthers) {
                otherLiveNodes(now).stream().filter(warnedAbout::add).forEach(other -> log.warn(
                        "Another hub instance ({}) is running on this H2 database. H2 is for one instance only: "
                                + "both run every scheduled pull and drain the same queues. Use PostgreSQL or "
                                + "MariaDB for several instances (README \"Running several instances\").", other));
            }
        } catch (RuntimeException e) {
            log.debug("heartbeat not written: {}", e.toString());
        }
    }

    /** Nodes other than this one that checked in within three intervals. */
    public List<String> otherLiveNodes(long now) {
        return jdbc.queryForList("SELECT node FROM " + table + " WHERE node <> ? AND heartbeat_at >= ?", String.class,
                node.name(), now - 3 * interval.toMillis());
    }

    /**
     * The {@code cluster} section of {@code GET /sync/status}: this node, whether its store is shared, and every node
     * that checked in within three intervals, with when.
     */
    public Map<String, Object> status(boolean clustered) {
        long now = clock.millis();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("node", node.name());
        section.put("clustered", clustered);
        section.put("nodes", jdbc.query("SELECT node, started_at, heartbeat_at FROM " + table
                + " WHERE heartbeat_at >= ? ORDER BY node", (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("node", rs.getString(1));
                    row.put("started_at", Instant.ofEpochMilli(rs.getLong(2)).toString());
                    row.put("last_seen_at", Instant.ofEpochMilli(rs.getLong(3)).toString());
                    return row;
                }, now - 3 * interval.toMillis()));
        return section;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            jdbc.update("DELETE FROM " + table + " WHERE node = ?", node.name());
        } catch (RuntimeException e) {
            log.debug("node row not removed: {}", e.toString());
        }
    }
}
