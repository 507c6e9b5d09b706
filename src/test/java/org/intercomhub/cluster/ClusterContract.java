package org.intercomhub.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.intercomhub.HubStart;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.sandbox.WebhookSender;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hub instances on one bookkeeping schema, each an application context with its own Quartz scheduler, web server
 * and queue readers: node A is the test's context, node B a second one started from the same settings. One subclass
 * per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(ClusterTestSupport.class)
abstract class ClusterContract {

    static final List<String> ALL = new PullCatalog().names();

    @Autowired
    ItSuite suite;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SyncTrigger triggerA;
    @Autowired
    MeterRegistry metersA;
    @Autowired
    CamelContext camelA;
    @Autowired
    ClusterNode nodeA;
    @Autowired
    SyncStatusBoard statusA;
    @LocalServerPort
    int portA;

    ConfigurableApplicationContext nodeB;

    @BeforeAll
    void startSecondNode() {
        HubStart second = HubStart.bare();
        // HubStart already sets these two, as the suite does
        suite.properties().forEach((key, value) -> {
            if (!key.equals("server.port") && !key.equals("sync.run-on-startup")) {
                second.arg(key, value);
            }
        });
        nodeB = second.run();
    }

    @AfterAll
    void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    int portB() {
        return Integer.parseInt(nodeB.getEnvironment().getProperty("local.server.port"));
    }

    String bookkeeping(String table) {
        return suite.schema() + "_hub." + table;
    }

    @Test
    @Order(1)
    void bothNodesPullingOnASmallBudgetMeetNo429() {
        // first, before any test moves the sandbox's clock: the budget's windows are the sandbox's
        var sandbox = suite.sandbox();
        long throttledBefore = sandbox.stats().rateLimitedResponses();
        // 12 a window: A's conversations (their details fetched 10 at a time) and B's other pulls side by side have
        // more requests ready than that; counted apart, the nodes would overshoot every window
        sandbox.setRateLimitPer10s(12);
        try {
            SyncTrigger triggerB = nodeB.getBean(SyncTrigger.class);
            long before = System.currentTimeMillis();
            List<String> onA = List.of("conversations");
            List<String> onB = List.of("contacts", "companies", "tickets", "tags", "admins", "teams", "segments");
            onA.forEach(c -> assertThat(triggerA.trigger(c)).as(c).isEqualTo(SyncTrigger.Outcome.STARTED));
            onB.forEach(c -> assertThat(triggerB.trigger(c)).as(c).isEqualTo(SyncTrigger.Outcome.STARTED));
            List<String> pulled = new ArrayList<>(onA);
            pulled.addAll(onB);
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() ->
                    pulled.stream().allMatch(c -> endedRuns(c, before) >= 1));
            assertThat(sandbox.stats().rateLimitedResponses() - throttledBefore).isZero();
            for (String collection : pulled) {
                assertThat(jdbc.queryForObject("SELECT state FROM " + bookkeeping("sync_runs") + " WHERE collection = ?"
                        + " AND started_at >= ?", String.class, collection, before)).as(collection).isEqualTo("succeeded");
            }
            // both nodes did pull: each ran some of the runs
            assertThat(pulled).anySatisfy(c -> assertThat(ranOn(nodeB, c)).isTrue());
            assertThat(pulled).anySatisfy(c -> assertThat(ranOn(nodeB, c)).isFalse());
            assertThat(count(suite.schema() + ".contacts")).isEqualTo(sandbox.workspace().count("contacts"));
        } finally {
            sandbox.setRateLimitPer10s(sandbox.config().rateLimitPer10s());
        }
    }

    static boolean ranOn(ConfigurableApplicationContext node, String collection) {
        return node.getBean(SyncStatusBoard.class).of(collection).snapshot(null).lastRunStartedAt() != null;
    }

    @Test
    @Order(2)
    void eachCollectionRunsOncePerTriggerWhicheverNodeIsAsked() throws Exception {
        SyncTrigger triggerB = nodeB.getBean(SyncTrigger.class);
        long before = System.currentTimeMillis();
        // B's web server answered once already: its first request's start-up time is not part of what follows
        assertThat(get(portB(), "/actuator/health/liveness").statusCode()).isEqualTo(200);
        // every Intercom answer takes 2 s: the runs last long enough to be asked for again while they go
        suite.sandbox().faults().latencyMillis(2000);
        try {
            assertThat(triggerA.trigger("contacts")).isEqualTo(SyncTrigger.Outcome.STARTED);
            // asked again of either node while its run is going (or waits for a worker): 409, not a second run
            assertThat(triggerB.trigger("contacts")).isEqualTo(SyncTrigger.Outcome.ALREADY_RUNNING);
            assertThat(post(portB(), "/sync/contacts").statusCode()).isEqualTo(409);
            assertThat(triggerA.trigger("contacts")).isEqualTo(SyncTrigger.Outcome.ALREADY_RUNNING);
            // the others, half asked of A, half of B
            List<String> others = ALL.stream().filter(c -> !c.equals("contacts")).toList();
            for (int i = 0; i < others.size(); i++) {
                assertThat((i % 2 == 0 ? triggerB : triggerA).trigger(others.get(i))).as(others.get(i))
                        .isEqualTo(SyncTrigger.Outcome.STARTED);
            }
        } finally {
            suite.sandbox().faults().latencyMillis(0);
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() ->
                ALL.stream().allMatch(c -> endedRuns(c, before) >= 1));
        for (String collection : ALL) {
            assertThat(runs(collection, before)).as("runs of " + collection).isEqualTo(1);
        }
        var workspace = suite.sandbox().workspace();
        assertThat(count(suite.schema() + ".contacts")).isEqualTo(workspace.count("contacts"));
        assertThat(count(suite.schema() + ".companies")).isEqualTo(workspace.count("companies"));
        assertThat(count(suite.schema() + ".conversations")).isEqualTo(workspace.count("conversations"));

        // both nodes are listed by either
        JsonNode cluster = new ObjectMapper().readTree(get(portB(), "/sync/status").body()).path("cluster");
        assertThat(cluster.path("clustered").asBoolean()).isTrue();
        assertThat(cluster.path("node").asText()).isEqualTo(nodeB.getBean(ClusterNode.class).name());
        assertThat(cluster.path("nodes").findValuesAsText("node")).contains(nodeA.name(),
                nodeB.getBean(ClusterNode.class).name());
        // and the app's budget they share, read from its row (unknown once its window has ended)
        assertThat(cluster.path("shared_budget").has("remaining")).isTrue();
        assertThat(cluster.path("shared_budget").path("probing").isBoolean()).isTrue();

        // done everywhere: asking again starts a run
        assertThat(triggerB.trigger("tags")).isEqualTo(SyncTrigger.Outcome.STARTED);
    }

    @Test
    @Order(3)
    void webhooksPostedAlternatelyToBothNodesAreEachProcessedOnce() {
        double processedBefore = processed(metersA) + processed(nodeB.getBean(MeterRegistry.class));
        var workspace = suite.sandbox().workspace();
        List<String> contacts = workspace.mutate("contacts", 60);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            WebhookSender sender = new WebhookSender(workspace, "app_test",
                    URI.create("http://127.0.0.1:" + (i % 2 == 0 ? portA : portB()) + "/webhooks/intercom"),
                    ClusterTestSupport.SECRET);
            WebhookSender.Delivery delivery = sender.contact("contact.user.updated", contacts.get(i));
            ids.add(delivery.id());
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("webhook_inbox")
                        + " WHERE processed_at IS NOT NULL AND notification_id IN ('"
                        + String.join("', '", ids) + "')", Long.class) == ids.size());
        double processed = processed(metersA) + processed(nodeB.getBean(MeterRegistry.class)) - processedBefore;
        // each notification went through the fan-out once, on one node or the other
        assertThat(processed).isEqualTo(ids.size());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("webhook_inbox")
                + " WHERE attempts > 0 OR claimed_by IS NOT NULL", Long.class)).isZero();
        for (String id : contacts) {
            Map<String, Object> row = jdbc.queryForMap("SELECT name, _source_updated_at FROM " + suite.schema()
                    + ".contacts WHERE id = ?", id);
            assertThat(((Number) row.get("_source_updated_at")).longValue())
                    .isEqualTo(workspace.contact(id).get("updated_at").asLong());
        }
    }

    @Test
    @Order(4)
    void aNodeKilledMidPullHasItsRunFinishedByAnotherFromItsCheckpoint() throws Exception {
        // A and B take no trigger for now, so the third node runs it
        List<Scheduler> aAndB = standbyAAndB();
        Map<String, Object> settings = thirdNode("node-to-kill");
        try (HubProcess doomed = HubProcess.start(settings, HubStart.freePort(),
                Path.of("target", "cluster-node-killed-" + suite.schema() + ".log"))) {
            // a full pull of contacts, 20 a page, every answer 300 ms late
            jdbc.update("DELETE FROM " + suite.schema() + ".contacts");
            jdbc.update("DELETE FROM " + bookkeeping("sync_checkpoints") + " WHERE collection = 'contacts'");
            suite.sandbox().faults().latencyMillis(300);
            long asked = System.currentTimeMillis();
            assertThat(post(doomed.port, "/sync/contacts").statusCode()).isEqualTo(202);
            // killed once its run committed a page (the checkpoint holds the cursor after it)
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                    jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("QRTZ_FIRED_TRIGGERS")
                            + " WHERE INSTANCE_NAME = 'node-to-kill' AND JOB_NAME = 'contacts'", Long.class) > 0
                            && jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_checkpoints")
                            + " WHERE collection = 'contacts' AND cursor_value IS NOT NULL AND updated_at >= ?",
                            Long.class, asked) > 0);
            doomed.kill();
        } finally {
            suite.sandbox().faults().latencyMillis(0);
            for (Scheduler scheduler : aAndB) {
                scheduler.start();
            }
        }
        long killed = System.currentTimeMillis();
        long written = count(suite.schema() + ".contacts");
        assertThat(written).isLessThan(suite.sandbox().workspace().count("contacts"));

        // Quartz on A or B finds the dead node and starts its run again; it resumes from the checkpoint
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs") + " WHERE collection = 'contacts'"
                        + " AND started_at >= ? AND state = 'succeeded'", Long.class, killed) == 1);
        assertThat(count(suite.schema() + ".contacts")).isEqualTo(suite.sandbox().workspace().count("contacts"));
        long recoveredRecords = jdbc.queryForObject("SELECT records FROM " + bookkeeping("sync_runs")
                + " WHERE collection = 'contacts' AND started_at >= ?", Long.class, killed);
        assertThat(recoveredRecords).as("records the recovered run wrote").isLessThan(
                suite.sandbox().workspace().count("contacts"));
        // the dead node's run is closed as interrupted, not left running
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs") + " WHERE collection ="
                + " 'contacts' AND state = 'running'", Long.class)).isZero();
    }

    @Test
    @Order(5)
    void theRetryOfAFailedRunIsStoredWithTheSchedulesAndRunByAnotherNodeWhenItsNodeIsGone() throws Exception {
        // A and B take no trigger for now, so the third node runs the pull, fails, and leaves its retry
        List<Scheduler> aAndB = standbyAAndB();
        Map<String, Object> settings = thirdNode("node-that-retries");
        settings.put("sync.retry-failed-runs", "1");
        settings.put("sync.retry-backoff", "5s");
        long asked = System.currentTimeMillis();
        try (HubProcess retrying = HubProcess.start(settings, HubStart.freePort(),
                Path.of("target", "cluster-node-retrying-" + suite.schema() + ".log"))) {
            suite.sandbox().faults().failNextMatching("/tags", 1000, 503);
            assertThat(post(retrying.port, "/sync/tags").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() ->
                    jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs") + " WHERE collection = "
                            + "'tags' AND started_at >= ? AND state = 'failed'", Long.class, asked) == 1
                            && retryTriggers("tags") == 1);
            retrying.kill();
        } finally {
            suite.sandbox().faults().reset();
            for (Scheduler scheduler : aAndB) {
                scheduler.start();
            }
        }
        long killed = System.currentTimeMillis();

        // the retry outlives its node: A or B runs it when it is due, and it is gone once it ran
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs") + " WHERE collection = 'tags'"
                        + " AND started_at >= ? AND state = 'succeeded'", Long.class, asked) == 1);
        long retried = jdbc.queryForObject("SELECT started_at FROM " + bookkeeping("sync_runs") + " WHERE collection"
                + " = 'tags' AND started_at >= ? AND state = 'succeeded'", Long.class, asked);
        assertThat(retried).as("the retry started after its node was killed").isGreaterThanOrEqualTo(killed);
        assertThat(List.of(statusA, nodeB.getBean(SyncStatusBoard.class))).as("the retry ran on A or B")
                .anySatisfy(board -> assertThat(board.of("tags").snapshot(null).lastRunStartedAt())
                        .isNotNull().isAfterOrEqualTo(java.time.Instant.ofEpochMilli(killed)));
        assertThat(retryTriggers("tags")).isZero();
        assertThat(count(suite.schema() + ".tags")).isEqualTo(suite.sandbox().workspace().count("tags"));
    }

    /** A and B on standby: they take no trigger, and still check in and recover a dead node's runs. */
    List<Scheduler> standbyAAndB() throws Exception {
        List<Scheduler> schedulers = List.of(camelA.getComponent("quartz", QuartzComponent.class).getScheduler(),
                nodeB.getBean(CamelContext.class).getComponent("quartz", QuartzComponent.class).getScheduler());
        for (Scheduler scheduler : schedulers) {
            scheduler.standby();
        }
        return schedulers;
    }

    /** The suite's settings for a third node (a process of its own) of this name. */
    Map<String, Object> thirdNode(String name) {
        Map<String, Object> settings = new java.util.HashMap<>(suite.properties());
        settings.put("cluster.node-name", name);
        return settings;
    }

    long retryTriggers(String collection) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("QRTZ_TRIGGERS") + " WHERE TRIGGER_GROUP = "
                + "'intercom-pull-retry' AND JOB_NAME = ?", Long.class, collection);
    }

    static double processed(MeterRegistry meters) {
        var counter = meters.find("hub.webhook.processed").counter();
        return counter == null ? 0 : counter.count();
    }

    long runs(String collection, long since) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs")
                + " WHERE collection = ? AND started_at >= ?", Long.class, collection, since);
    }

    long endedRuns(String collection, long since) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + bookkeeping("sync_runs")
                + " WHERE collection = ? AND started_at >= ? AND state <> 'running'", Long.class, collection, since);
    }

    long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
