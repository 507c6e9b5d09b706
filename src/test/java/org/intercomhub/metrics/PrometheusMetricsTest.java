package org.intercomhub.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.HubStart;
import org.intercomhub.intercom.RateLimiter;
import org.apache.camel.CamelContext;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.WebhookSender;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The meters an operator scrapes: a demo hub (sandbox, stub receivers, both branches) runs real pulls, and
 * {@code /actuator/prometheus}, fetched over HTTP from loopback (no token configured: loopback is admin), shows what
 * happened, with the same values {@code /sync/status} shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusMetricsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> COLLECTIONS = List.of("contacts", "conversations", "deleted_conversations", "tickets",
            "activity_logs", "companies", "segments", "tags", "admins", "teams", "data_attributes");

    static final String SECRET = "metrics-test-client-secret";

    static ConfigurableApplicationContext hub;
    static int port;
    static SandboxServer sandbox;

    @BeforeAll
    static void startDemoHub() {
        HubStart start = HubStart.demo("metrics-test-" + System.nanoTime(), 60, 10)
                .arg("intercom.max-retries", 0)
                .arg("fanout.poll-interval-ms", 50)
                .arg("webhook.client-secret", SECRET)
                .arg("webhook.poll-interval-ms", 50)
                // without the demo's push syncs (routes/demo/): they call Intercom every minute, and the rate-limit
                // budget read here must not move between the scrape and the limiter's own reading
                .arg("camel.main.routes-include-pattern", "file:routes/*.camel.yaml")
                .withoutSchedules();
        hub = start.run();
        port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
        sandbox = hub.getBean(SandboxServer.class);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    @Order(1)
    void pullMetersCountWhatTheRunsWroteAndSyncStatusShowsTheSame() throws Exception {
        SyncStatusBoard status = hub.getBean(SyncStatusBoard.class);
        assertThat(pull("contacts")).isEqualTo("succeeded");
        // a failure: Intercom answers /tags with 503 and the hub is told not to retry
        sandbox.faults().failNextMatching("/tags", 1000, 503);
        assertThat(pull("tags")).isEqualTo("failed");

        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        long rows = jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\"", Long.class);
        assertThat(rows).isEqualTo(60);
        String runs = hub.getBean(BookkeepingSchema.class).table("sync_runs");
        Map<String, Object> run = jdbc.queryForMap("SELECT records, pages, started_at, ended_at FROM " + runs
                + " WHERE collection = 'contacts' AND state = 'succeeded'");
        long pages = ((Number) run.get("pages")).longValue();
        assertThat(pages).isPositive();

        Scrape scrape = Scrape.of(port);
        assertThat(scrape.value("hub_pull_records_total", "collection", "contacts")).isEqualTo(60.0);
        assertThat(scrape.value("hub_pull_records_total", "collection", "contacts"))
                .isEqualTo(((Number) run.get("records")).doubleValue());
        assertThat(scrape.value("hub_pull_pages_total", "collection", "contacts")).isEqualTo((double) pages);
        assertThat(scrape.value("hub_pull_failures_total", "collection", "contacts")).isZero();
        assertThat(scrape.value("hub_pull_failures_total", "collection", "tags")).isEqualTo(1.0);
        assertThat(scrape.value("hub_pull_records_total", "collection", "tags")).isZero();
        // every scheduled collection has its meters from start-up, also before its first run
        assertThat(scrape.value("hub_pull_records_total", "collection", "teams")).isZero();
        assertThat(scrape.value("hub_pull_last_success_seconds", "collection", "teams")).isZero();

        CollectionStatus.Snapshot contacts = status.of("contacts").snapshot(null);
        assertThat(scrape.value("hub_pull_duration_seconds_count", "collection", "contacts", "outcome", "succeeded"))
                .isEqualTo(1.0);
        assertThat(scrape.value("hub_pull_duration_seconds_sum", "collection", "contacts", "outcome", "succeeded"))
                .isCloseTo(Duration.between(contacts.lastRunStartedAt(), contacts.lastRunEndedAt()).toNanos() / 1e9,
                        within(1e-6));
        assertThat(scrape.value("hub_pull_duration_seconds_count", "collection", "tags", "outcome", "failed"))
                .isEqualTo(1.0);
        assertThat(scrape.value("hub_pull_last_success_seconds", "collection", "contacts"))
                .isCloseTo(contacts.lastRunEndedAt().toEpochMilli() / 1000.0, within(1e-6));
        assertThat(scrape.value("hub_pull_last_success_seconds", "collection", "tags")).isZero();
        // the schedules fire on 1 January only: nothing is due, so nothing is late
        for (String collection : COLLECTIONS) {
            assertThat(scrape.value("hub_pull_lateness_seconds", "collection", collection)).as(collection).isZero();
        }

        // the rate limiter's budget as it stands, and the time waited for it (the demo sandbox has no limit)
        RateLimiter limiter = hub.getBean(RateLimiter.class);
        assertThat(scrape.value("hub_intercom_rate_budget")).isEqualTo(limiter.budgetRemaining());
        assertThat(scrape.value("hub_intercom_rate_limit")).isEqualTo(limiter.limit());
        assertThat(scrape.value("hub_intercom_rate_waited_seconds_total")).isEqualTo(limiter.waitedMillis() / 1000.0);
        assertThat(scrape.value("hub_intercom_rate_throttled_total")).isZero();

        // Camel's route metrics are in the same registry
        assertThat(scrape.text).contains("camel_exchanges_total{").contains("camel_exchanges_failed_total{")
                .contains("routeId=\"pull-contacts\"");

        // /sync/status reads the same meters
        JsonNode collections = syncStatus().path("collections");
        assertThat(collections.path("tags").path("errors").asLong()).isEqualTo(1);
        assertThat(collections.path("contacts").path("errors").asLong()).isZero();
        assertThat(collections.path("contacts").path("records").asLong()).isEqualTo(60);
        assertThat(collections.path("contacts").path("pages").asLong()).isEqualTo(pages);
    }

    @Test
    @Order(2)
    void webhookMetersCountReceivedByTopicRejectedByReasonAndTheInbox() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/intercom");
        WebhookSender signed = new WebhookSender(sandbox.workspace(), "app_metrics", endpoint, SECRET);
        WebhookSender badlySigned = new WebhookSender(sandbox.workspace(), "app_metrics", endpoint, "not-the-secret");
        String company = sandbox.workspace().companyIds().get(0);

        WebhookSender.Delivery accepted = signed.company("company.updated", company);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(badlySigned.company("company.updated", company).status()).isEqualTo(401);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        String inbox = hub.getBean(BookkeepingSchema.class).table("webhook_inbox");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM " + inbox + " WHERE processed_at IS NULL", Long.class) == 0);

        Scrape scrape = Scrape.of(port);
        assertThat(scrape.value("hub_webhook_received_total", "topic", "company.updated")).isEqualTo(1.0);
        assertThat(scrape.value("hub_webhook_rejected_total", "reason", "bad_signature")).isEqualTo(1.0);
        assertThat(scrape.find("hub_webhook_rejected_total", "reason", "missing_signature")).isEmpty();
        assertThat(scrape.value("hub_webhook_processed_total")).isEqualTo(1.0);
        assertThat(scrape.value("hub_webhook_inbox_backlog")).isZero();
        assertThat(scrape.value("hub_webhook_inbox_oldest_age_seconds")).isZero();
        assertThat(scrape.value("hub_webhook_last_received_seconds")).isPositive();

        // processing stopped: the notification waits in the inbox, and the gauges show it
        CamelContext camel = hub.getBean(CamelContext.class);
        camel.getRouteController().stopRoute("webhook-process");
        try {
            WebhookSender.Delivery waiting = signed.company("company.created", company);
            assertThat(waiting.status()).isEqualTo(200);
            long receivedAt = jdbc.queryForObject("SELECT received_at FROM " + inbox + " WHERE notification_id = ?",
                    Long.class, waiting.id());
            Scrape stalled = Scrape.of(port);
            double ageBound = (System.currentTimeMillis() - receivedAt) / 1000.0;
            assertThat(stalled.value("hub_webhook_inbox_backlog")).isEqualTo(1.0);
            assertThat(stalled.value("hub_webhook_inbox_oldest_age_seconds")).isBetween(0.0, ageBound);
            assertThat(stalled.value("hub_webhook_received_total", "topic", "company.created")).isEqualTo(1.0);
            JsonNode webhooks = syncStatus().path("webhooks");
            assertThat(webhooks.path("inbox_backlog").asLong()).isEqualTo(1);
            assertThat(webhooks.path("received").path("company.created").asLong()).isEqualTo(1);
            assertThat(webhooks.path("rejected").path("bad_signature").asLong()).isEqualTo(1);
        } finally {
            camel.getRouteController().startRoute("webhook-process");
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM " + inbox + " WHERE processed_at IS NULL", Long.class) == 0);
        assertThat(Scrape.of(port).value("hub_webhook_inbox_backlog")).isZero();
    }

    @Test
    @Order(3)
    void branchMetersCountWhatEachDestinationTookRefusedAndStillHolds() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/intercom");
        WebhookSender signed = new WebhookSender(sandbox.workspace(), "app_metrics", endpoint, SECRET);
        AmplitudeStub amplitude = hub.getBean(AmplitudeStub.class);
        CrmStub crm = hub.getBean(CrmStub.class);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        BookkeepingSchema schema = hub.getBean(BookkeepingSchema.class);
        String outbox = schema.table("branch_outbox");
        String deadLetters = schema.table("dead_letters");
        // the CRM refuses one company for good: a dead letter
        String refused = sandbox.workspace().companyIds().get(1);
        crm.rejectId(sandbox.workspace().company(refused).path("company_id").asText(), "name is reserved");
        assertThat(signed.company("company.updated", refused).status()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM " + deadLetters + " WHERE branch = 'crm'", Long.class) == 1
                        && jdbc.queryForObject("SELECT COUNT(*) FROM " + outbox, Long.class) == 0);

        Scrape scrape = Scrape.of(port);
        JsonNode destinations = syncStatus().path("destinations");
        for (String branch : List.of("analytics", "crm")) {
            JsonNode status = destinations.path(branch);
            assertThat(scrape.value("hub_branch_sent_total", "branch", branch)).as(branch)
                    .isEqualTo(status.path("sent").asDouble()).isPositive();
            assertThat(scrape.value("hub_branch_failed_total", "branch", branch)).as(branch)
                    .isEqualTo(status.path("failed").asDouble());
            assertThat(scrape.value("hub_branch_dead_lettered_total", "branch", branch)).as(branch)
                    .isEqualTo(status.path("dead_lettered").asDouble());
            assertThat(scrape.sum("hub_branch_dropped_total", "branch", branch)).as(branch)
                    .isEqualTo(status.path("dropped").asDouble());
            assertThat(scrape.value("hub_branch_queue_depth", "branch", branch)).as(branch).isZero();
            assertThat(scrape.value("hub_branch_queue_oldest_age_seconds", "branch", branch)).as(branch).isZero();
            assertThat(status.path("waiting").asLong()).isZero();
        }
        // what the stub Amplitude received is what the branch counts as sent
        assertThat(scrape.value("hub_branch_sent_total", "branch", "analytics")).isEqualTo(amplitude.ingestedCount());
        assertThat(scrape.value("hub_branch_dead_lettered_total", "branch", "crm")).isEqualTo(1.0);
        assertThat(scrape.value("hub_branch_failed_total", "branch", "crm")).isEqualTo(1.0);
        assertThat(scrape.value("hub_branch_dead_letters", "branch", "crm")).isEqualTo(1.0);
        assertThat(scrape.value("hub_branch_dead_letters", "branch", "analytics")).isZero();
        assertThat(destinations.path("crm").path("dead_letters_now").asLong()).isEqualTo(1);

        // the analytics branch stopped: what comes in waits in its queue, and the gauges show it
        CamelContext camel = hub.getBean(CamelContext.class);
        camel.getRouteController().stopRoute("analytics");
        try {
            assertThat(signed.company("company.updated", sandbox.workspace().companyIds().get(2)).status())
                    .isEqualTo(200);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM " + outbox + " WHERE branch = 'analytics'", Long.class) == 1);
            Long queuedAt = jdbc.queryForObject("SELECT seq FROM " + outbox + " WHERE branch = 'analytics'",
                    Long.class) / 1000;
            // a new row does not refresh the cached reading (metrics.database-gauges-cache): the scrape shows it
            // within that time
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                    Scrape.of(port).value("hub_branch_queue_depth", "branch", "analytics") == 1.0);
            Scrape stalled = Scrape.of(port);
            double ageBound = (System.currentTimeMillis() - queuedAt) / 1000.0;
            assertThat(stalled.value("hub_branch_queue_depth", "branch", "analytics")).isEqualTo(1.0);
            assertThat(stalled.value("hub_branch_queue_oldest_age_seconds", "branch", "analytics"))
                    .isBetween(0.0, ageBound);
        } finally {
            camel.getRouteController().startRoute("analytics");
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM " + outbox, Long.class) == 0);
        Scrape drained = Scrape.of(port);
        assertThat(drained.value("hub_branch_queue_depth", "branch", "analytics")).isZero();
        assertThat(drained.value("hub_branch_sent_total", "branch", "analytics")).isEqualTo(amplitude.ingestedCount());
    }

    /** Starts a pull and waits for it to end; its final state. */
    static String pull(String collection) {
        SyncStatusBoard status = hub.getBean(SyncStatusBoard.class);
        Instant triggered = Instant.now();
        assertThat(hub.getBean(SyncTrigger.class).trigger(collection)).isEqualTo(SyncTrigger.Outcome.STARTED);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            CollectionStatus.Snapshot s = status.of(collection).snapshot(null);
            return s.lastRunStartedAt() != null && !s.lastRunStartedAt().isBefore(triggered)
                    && s.lastRunEndedAt() != null;
        });
        return status.of(collection).snapshot(null).state();
    }

    static JsonNode syncStatus() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/sync/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
