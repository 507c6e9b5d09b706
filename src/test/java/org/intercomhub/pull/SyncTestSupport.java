package org.intercomhub.pull;

import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the end-to-end sync tests share: a sandbox per test class, a warehouse schema per class, run-and-wait. */
final class SyncTestSupport {

    /** A cron that does not fire while a test runs: runs are started by the tests. */
    static final String NEVER = "0 0 3 1 1 ?";

    private SyncTestSupport() {
    }

    static SandboxServer startSandbox() {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0));
    }

    /** Points the app at the sandbox and a warehouse; schedules off, fast retries. */
    static void register(DynamicPropertyRegistry registry, SandboxServer sandbox, String jdbcUrl, String user,
                         String schema) {
        registry.add("intercom.base-url", sandbox::baseUrl);
        registry.add("intercom.access-token", () -> sandbox.config().accessToken());
        registry.add("intercom.initial-backoff", () -> "20ms");
        registry.add("intercom.max-backoff", () -> "200ms");
        registry.add("intercom.max-retries", () -> "4");
        registry.add("warehouse.url", () -> jdbcUrl);
        registry.add("warehouse.user", () -> user);
        registry.add("warehouse.password", () -> "");
        registry.add("warehouse.schema", () -> schema);
        registry.add("warehouse.bookkeeping-schema", () -> schema + "_hub");
        registry.add("sync.run-on-startup", () -> "false");
        registry.add("server.port", () -> "0");
        for (String collection : new PullCatalog().names()) {
            registry.add("sync.collections." + collection + ".cron", () -> NEVER);
        }
    }

    /** Starts the collections' pulls and waits until each has ended; returns their final states. */
    static Map<String, String> syncAndWait(SyncTrigger trigger, SyncStatusBoard status, String... collections) {
        java.time.Instant triggeredAt = java.time.Instant.now();
        for (String collection : collections) {
            assertThat(trigger.trigger(collection)).as("trigger " + collection)
                    .isEqualTo(SyncTrigger.Outcome.STARTED);
        }
        // the Quartz job starts asynchronously: wait for a run that began after the trigger and has ended
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                Arrays.stream(collections).allMatch(c -> {
                    CollectionStatus.Snapshot s = status.of(c).snapshot(null);
                    return s.lastRunStartedAt() != null && !s.lastRunStartedAt().isBefore(triggeredAt)
                            && s.lastRunEndedAt() != null;
                }));
        Map<String, String> states = new java.util.LinkedHashMap<>();
        for (String collection : collections) {
            CollectionStatus.Snapshot snapshot = status.of(collection).snapshot(null);
            states.put(collection, snapshot.state() + (snapshot.lastError() == null || "succeeded".equals(snapshot.state())
                    ? "" : ": " + snapshot.lastError()));
        }
        return states;
    }

    static long count(JdbcTemplate jdbc, String schema, String table, String where) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + schema + "." + table
                + (where == null ? "" : " WHERE " + where), Long.class);
        return n == null ? 0 : n;
    }
}
