package org.intercomhub.pull;

import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the end-to-end sync suites share: each suite's sandbox and settings (its {@link ItSuite.Setup}), and
 * run-and-wait.
 */
final class SyncTestSupport implements ItSuite.Setup {

    @Override
    public SandboxServer startSandbox() {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0));
    }

    /** The base settings, with fewer retries. */
    @Override
    public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
        Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
        properties.put("intercom.max-retries", "4");
        return properties;
    }

    /** Starts the collections' pulls and waits until each has ended; returns their final states. */
    static Map<String, String> syncAndWait(SyncTrigger trigger, SyncStatusBoard status, String... collections) {
        java.time.Instant triggeredAt = java.time.Instant.now();
        for (String collection : collections) {
            // a run that just ended (its status says so) may still be finishing its Quartz job for a moment
            SyncTrigger.Outcome outcome = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> trigger.trigger(collection), o -> o != SyncTrigger.Outcome.ALREADY_RUNNING);
            assertThat(outcome).as("trigger " + collection).isEqualTo(SyncTrigger.Outcome.STARTED);
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
