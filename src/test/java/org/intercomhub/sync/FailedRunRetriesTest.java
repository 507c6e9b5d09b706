package org.intercomhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.HubStart;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pull or push run that failed runs again by itself after sync.retry-backoff (2 s here), doubling, at most
 * sync.retry-failed-runs (2) times; a run that succeeds meanwhile drops the pending retry. Against the demo's sandbox
 * and an H2 warehouse, every schedule set to never fire, so every run seen here was asked for or is a retry.
 */
class FailedRunRetriesTest {

    static ConfigurableApplicationContext hub;
    static SandboxServer sandbox;
    static JdbcTemplate jdbc;
    static BookkeepingSchema schema;
    static Path routes;

    @BeforeAll
    static void startDemoHub() throws IOException {
        routes = Files.createTempDirectory("retry-routes");
        hub = HubStart.demo("retry-test-" + System.nanoTime(), 20, 5)
                .arg("intercom.max-retries", 0)
                .arg("sync.retry-failed-runs", 2)
                .arg("sync.retry-backoff", "2s")
                // one push sync of the demo's company model that never fires by schedule
                .withCompanyPushSync(routes, "retry_companies",
                        "SELECT company_id, name FROM demo_models.crm_companies")
                .withoutSchedules()
                .run();
        sandbox = hub.getBean(SandboxServer.class);
        jdbc = hub.getBean(JdbcTemplate.class);
        schema = hub.getBean(BookkeepingSchema.class);
    }

    @AfterAll
    static void stop() throws IOException {
        hub.close();
        Files.deleteIfExists(routes.resolve("push-retry_companies.camel.yaml"));
        Files.deleteIfExists(routes);
    }

    @AfterEach
    void healSandbox() {
        sandbox.faults().reset();
    }

    @Test
    void aFailedPullRunsAgainAfterTheBackoffAndSucceedsOnceIntercomIsBack() {
        sandbox.faults().failNextMatching("/tags", 1000, 503);
        assertThat(hub.getBean(SyncTrigger.class).trigger("tags")).isEqualTo(SyncTrigger.Outcome.STARTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> states("tags").equals(List.of("failed")));
        sandbox.faults().reset();

        // nobody asks again: the retry does, 2 s after the failure
        await().atMost(Duration.ofSeconds(30)).until(() -> states("tags").equals(List.of("succeeded", "failed")));
        List<Map<String, Object>> runs = runs("tags");
        long waited = (long) runs.get(0).get("started_at") - (long) runs.get(1).get("ended_at");
        assertThat(waited).as("ms between the failure and the retry").isBetween(1_500L, 15_000L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"tags\"", Long.class))
                .isEqualTo(sandbox.workspace().count("tags"));
        assertThat(hub.getBean(FailedRunRetries.class).pending("intercom-pull", "tags")).isNull();
    }

    @Test
    void retriesStopAfterTheConfiguredNumberWithWaitsThatDouble() throws Exception {
        sandbox.faults().failNextMatching("/admins", 100_000, 503);
        assertThat(hub.getBean(SyncTrigger.class).trigger("admins")).isEqualTo(SyncTrigger.Outcome.STARTED);

        // the run and its two retries, 2 s then 4 s after a failure
        await().atMost(Duration.ofSeconds(60)).until(() -> states("admins").size() == 3
                && states("admins").stream().allMatch("failed"::equals));
        List<Map<String, Object>> runs = runs("admins");
        long firstWait = (long) runs.get(1).get("started_at") - (long) runs.get(2).get("ended_at");
        long secondWait = (long) runs.get(0).get("started_at") - (long) runs.get(1).get("ended_at");
        assertThat(firstWait).isBetween(1_500L, 15_000L);
        assertThat(secondWait).isBetween(3_500L, 20_000L);
        assertThat(hub.getBean(FailedRunRetries.class).pending("intercom-pull", "admins")).isNull();

        // a third retry would come 8 s after the last failure: none does
        Thread.sleep(10_000);
        assertThat(states("admins")).hasSize(3);
    }

    @Test
    void aRunThatSucceedsBeforeTheRetryDropsIt() throws Exception {
        sandbox.faults().failNextMatching("/teams", 1000, 503);
        SyncTrigger trigger = hub.getBean(SyncTrigger.class);
        assertThat(trigger.trigger("teams")).isEqualTo(SyncTrigger.Outcome.STARTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> states("teams").equals(List.of("failed")));
        Instant due = hub.getBean(FailedRunRetries.class).pending("intercom-pull", "teams");
        assertThat(due).isNotNull();
        assertThat(syncStatus().path("schedules").path("teams").path("retry_at").asText()).isEqualTo(due.toString());
        sandbox.faults().reset();

        // asked for at once, before the retry is due
        await().atMost(Duration.ofSeconds(10)).until(() -> trigger.trigger("teams") == SyncTrigger.Outcome.STARTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> states("teams").equals(List.of("succeeded", "failed")));
        assertThat(hub.getBean(FailedRunRetries.class).pending("intercom-pull", "teams")).isNull();
        assertThat(syncStatus().path("schedules").path("teams").path("retry_at").isNull()).isTrue();
        Thread.sleep(4_000);
        assertThat(states("teams")).as("no retry after the run that succeeded").hasSize(2);
    }

    @Test
    void aFailedPushRunsAgainAfterTheBackoff() throws Exception {
        // Intercom refuses every company write: the run stops
        sandbox.faults().failNextMatching("/companies", 1000, 503);
        HttpResponse<String> asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port() + "/push/retry_companies")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> pushStates().equals(List.of("failed")));
        sandbox.faults().reset();

        // nobody asks again: the retry sends the three companies
        await().atMost(Duration.ofSeconds(30)).until(() -> pushStates().equals(List.of("succeeded", "failed")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + schema.table("push_rows") + " WHERE sync_name = "
                + "'retry_companies' AND row_hash IS NOT NULL", Long.class)).isEqualTo(3);
        assertThat(hub.getBean(FailedRunRetries.class).pending("intercom-push", "retry_companies")).isNull();
        assertThat(syncStatus().path("push").path("retry_companies").has("retry_at")).isTrue();
        assertThat(syncStatus().path("push").path("retry_companies").path("retry_at").isNull()).isTrue();
    }

    static JsonNode syncStatus() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port() + "/sync/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    static String port() {
        return hub.getEnvironment().getProperty("local.server.port");
    }

    /** The collection's run states, newest first. */
    static List<String> states(String collection) {
        return runs(collection).stream().map(run -> (String) run.get("state")).toList();
    }

    static List<Map<String, Object>> runs(String collection) {
        return jdbc.query("SELECT state, started_at, ended_at FROM " + schema.table("sync_runs")
                        + " WHERE collection = ? AND state <> 'running' ORDER BY started_at DESC",
                (rs, n) -> Map.of("state", rs.getString(1), "started_at", rs.getLong(2), "ended_at", rs.getLong(3)),
                collection);
    }

    static List<String> pushStates() {
        return jdbc.queryForList("SELECT state FROM " + schema.table("push_runs") + " WHERE sync_name = "
                + "'retry_companies' AND state <> 'running' ORDER BY started_at DESC", String.class);
    }
}
