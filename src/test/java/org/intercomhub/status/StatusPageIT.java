package org.intercomhub.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.HubStart;
import org.intercomhub.ItDatabase;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.WebhookSender;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.FailedRunRetries;
import org.intercomhub.sync.SyncStatusBoard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The status page in a real headless Chromium, against a running hub: a sandbox and stub Amplitude / CRM receivers
 * as the demo has them, the warehouse and bookkeeping on the local PostgreSQL, an admin token set. Every collection is
 * synced, the stub CRM refuses one company for good (a dead letter), two webhooks arrive and a push sync writes three
 * companies; then the page is loaded with the token in its fragment and what its JavaScript rendered is read back from
 * the browser.
 */
class StatusPageIT {

    static final String TOKEN = "status-page-admin-token-4c8e1f";
    static final String SECRET = "status-page-client-secret";
    static final Duration RENDERED = Duration.ofSeconds(60);
    static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">Intercom said <b>no</b> & \"stop\"";

    static SandboxServer sandbox;
    static AmplitudeStub amplitude;
    static CrmStub crm;
    static ConfigurableApplicationContext hub;
    static String schema;
    static Path routes;
    static int port;

    @BeforeAll
    static void startHubAndSync() throws Exception {
        HeadlessChromium.executable(); // no browser: fail before anything else starts, saying how to install it
        // the sandbox and the stub receivers of its own (as the demo has them, without the demo's push syncs, whose
        // runs would change the sandbox while the test counts it)
        sandbox = SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(60).withCompanies(12)
                .withConversations(15));
        amplitude = new AmplitudeStub(0, "status-page-amplitude-key");
        crm = new CrmStub(0, "status-page-crm-key");
        schema = ItDatabase.uniqueSchema("it_statuspage");
        routes = Files.createTempDirectory("status-routes");
        HubStart start = HubStart.bare()
                // one push sync of a model in the warehouse, run once below, never by schedule
                .withCompanyPushSync(routes, "status_companies", "SELECT company_id, name FROM " + schema + ".crm_model")
                .arg("intercom.base-url", sandbox.baseUrl())
                .arg("intercom.access-token", sandbox.config().accessToken())
                .arg("analytics.url", amplitude.url())
                .arg("analytics.api-key", "status-page-amplitude-key")
                .arg("crm.base-url", crm.baseUrl())
                .arg("crm.api-key", "status-page-crm-key")
                .arg("warehouse.url", ItDatabase.POSTGRES.url)
                .arg("warehouse.user", ItDatabase.POSTGRES.user)
                .arg("warehouse.password", "")
                .arg("warehouse.schema", schema)
                .arg("warehouse.bookkeeping-schema", schema + "_hub")
                .arg("admin.tokens", TOKEN)
                .arg("sync.contact-notes", "false")
                .arg("fanout.poll-interval-ms", 50)
                .arg("webhook.client-secret", SECRET)
                .arg("webhook.poll-interval-ms", 50)
                .withoutSchedules();
        hub = start.run();
        port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));

        // the CRM refuses one company for good: one dead letter in the crm branch
        String refused = sandbox.workspace().companyIds().get(3);
        crm.rejectId(sandbox.workspace().company(refused).path("company_id").asText(),
                "account name is reserved");

        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/sync/all")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        SyncStatusBoard board = hub.getBean(SyncStatusBoard.class);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() ->
                new PullCatalog().names().stream().allMatch(c -> board.of(c).snapshot(null).lastRunEndedAt() != null));

        WebhookSender webhooks = new WebhookSender(sandbox.workspace(), "app_status",
                URI.create("http://127.0.0.1:" + port + "/webhooks/intercom"), SECRET);
        assertThat(webhooks.company("company.updated", sandbox.workspace().companyIds().get(0)).status())
                .isEqualTo(200);
        assertThat(webhooks.contact("contact.user.updated", sandbox.workspace().contactIds().get(0)).status())
                .isEqualTo(200);

        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        BookkeepingSchema bookkeeping = hub.getBean(BookkeepingSchema.class);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                count(jdbc, "SELECT COUNT(*) FROM " + bookkeeping.table("branch_outbox")) == 0
                        && count(jdbc, "SELECT COUNT(*) FROM " + bookkeeping.table("webhook_inbox")
                        + " WHERE processed_at IS NULL") == 0
                        && count(jdbc, "SELECT COUNT(*) FROM " + bookkeeping.table("dead_letters")) == 1);

        // the push sync writes its three companies into the sandbox (after the pull, which counted them)
        jdbc.execute("CREATE TABLE " + schema + ".crm_model (company_id VARCHAR(40), name VARCHAR(100))");
        jdbc.update("INSERT INTO " + schema + ".crm_model VALUES ('status-1', 'One'), ('status-2', 'Two'), "
                + "('status-3', 'Three')");
        HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/push/status_companies"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() ->
                count(jdbc, "SELECT COUNT(*) FROM " + bookkeeping.table("push_runs")
                        + " WHERE sync_name = 'status_companies' AND state = 'succeeded'") == 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (schema != null) {
            ItDatabase.POSTGRES.dropSchemas(schema);
        }
        if (routes != null) {
            Files.deleteIfExists(routes.resolve("push-status_companies.camel.yaml"));
            Files.deleteIfExists(routes);
        }
        for (AutoCloseable server : new AutoCloseable[] {sandbox, amplitude, crm}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void theAdminSeesEveryCollectionTheRunsChartWebhooksAndDeadLetters() throws Exception {
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        BookkeepingSchema bookkeeping = hub.getBean(BookkeepingSchema.class);
        SyncStatusBoard board = hub.getBean(SyncStatusBoard.class);
        List<String> collections = new PullCatalog().names().stream().sorted().toList();
        // what the run history says each collection's run wrote, and what the warehouse and the sandbox hold
        Map<String, Long> recordsByRun = new HashMap<>();
        for (String collection : collections) {
            CollectionStatus.Snapshot s = board.of(collection).snapshot(null);
            assertThat(s.state()).as(collection).isEqualTo("succeeded");
            recordsByRun.put(collection, count(jdbc, "SELECT records FROM " + bookkeeping.table("sync_runs")
                    + " WHERE collection = '" + collection + "' AND state = 'succeeded'"));
        }
        assertThat(recordsByRun.get("contacts")).isEqualTo(60)
                .isEqualTo(count(jdbc, "SELECT COUNT(*) FROM " + schema + ".contacts"));
        assertThat(recordsByRun.get("companies")).isEqualTo(12)
                .isEqualTo(count(jdbc, "SELECT COUNT(*) FROM " + schema + ".companies"));
        assertThat(recordsByRun.get("conversations")).isEqualTo(15)
                .isEqualTo(count(jdbc, "SELECT COUNT(*) FROM " + schema + ".conversations"));
        for (String table : List.of("tickets", "segments", "tags", "admins", "teams", "data_attributes",
                "activity_logs")) {
            assertThat(recordsByRun.get(table)).as(table).isEqualTo(count(jdbc, "SELECT COUNT(*) FROM " + schema + "." + table));
        }

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.navigate("http://127.0.0.1:" + port + "/#token=" + TOKEN);
            browser.waitFor("document.body.dataset.state === 'loaded'"
                    + " && document.querySelectorAll('#collections tbody tr').length === " + collections.size()
                    + " && document.querySelectorAll('#branches tbody tr').length === 4", RENDERED);

            // the push sync's row: what it writes, its run's state and counts
            assertThat(browser.evaluate("document.getElementById('push-section').hidden").asBoolean()).isFalse();
            JsonNode push = browser.evaluate("Array.from(document.querySelectorAll('#push tbody tr')).map(r => ({"
                    + "sync: r.dataset.sync, writes: r.querySelector('.writes').textContent,"
                    + "state: r.querySelector('.state').textContent, rows: r.querySelector('.rows').textContent,"
                    + "created: r.querySelector('.created').textContent,"
                    + "rejected: r.querySelector('.rejected').textContent,"
                    + "retry: r.querySelectorAll('.retry-at').length}))");
            assertThat(push).hasSize(1);
            assertThat(push.get(0).path("sync").asText()).isEqualTo("status_companies");
            assertThat(push.get(0).path("writes").asText()).isEqualTo("company upsert by company_id");
            assertThat(push.get(0).path("state").asText()).isEqualTo("succeeded");
            assertThat(push.get(0).path("rows").asText()).isEqualTo("3");
            assertThat(push.get(0).path("created").asText()).isEqualTo("3");
            assertThat(push.get(0).path("rejected").asText()).isEqualTo("0");
            assertThat(push.get(0).path("retry").asInt()).isZero();

            // each collection's row: its name, state and the records its run wrote
            JsonNode rows = browser.evaluate("Array.from(document.querySelectorAll('#collections tbody tr')).map(r => ({"
                    + "name: r.querySelector('.name').textContent, state: r.querySelector('.state').textContent,"
                    + "records: r.querySelector('.records').textContent, duration: r.querySelector('.duration')"
                    + ".textContent, cells: Array.from(r.cells).map(c => c.textContent)}))");
            assertThat(rows).hasSize(collections.size());
            for (int i = 0; i < collections.size(); i++) {
                JsonNode row = rows.get(i);
                String collection = collections.get(i);
                assertThat(row.path("name").asText()).isEqualTo(collection);
                assertThat(row.path("state").asText()).as(collection).isEqualTo("succeeded");
                assertThat(row.path("records").asText().replace(",", "")).as(collection)
                        .isEqualTo(String.valueOf(recordsByRun.get(collection)));
                assertThat(row.path("duration").asText()).as(collection).matches("\\d+(\\.\\d)? m?s|\\d+ min \\d+ s");
                // last run (some seconds ago), next run (on 1 January at 03:00), on time: the crons never fire here
                assertThat(row.path("cells").get(2).asText()).as(collection).matches("now|.* ago");
                assertThat(row.path("cells").get(5).asText()).as(collection).startsWith("in ");
                assertThat(row.path("cells").get(6).asText()).as(collection).isEqualTo("on time");
            }

            // the chart: one bar and one point per finished run, bars as high as the run's records
            assertThat(browser.evaluate("document.getElementById('runs-chart').dataset.runs").asInt())
                    .isEqualTo(collections.size());
            JsonNode bars = browser.evaluate("Array.from(document.querySelectorAll('#runs-chart rect.bar')).map(b => ({"
                    + "collection: b.dataset.collection, records: Number(b.dataset.records),"
                    + "height: Number(b.getAttribute('height'))}))");
            assertThat(bars).hasSize(collections.size());
            long maxRecords = recordsByRun.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            double tallest = 0;
            for (JsonNode bar : bars) {
                tallest = Math.max(tallest, bar.path("height").asDouble());
            }
            assertThat(tallest).isGreaterThan(100); // of the plot's 218 px
            for (JsonNode bar : bars) {
                assertThat(bar.path("records").asLong()).as(bar.toString())
                        .isEqualTo(recordsByRun.get(bar.path("collection").asText()));
                assertThat(bar.path("height").asDouble() / tallest).as(bar.toString())
                        .isCloseTo(bar.path("records").asDouble() / maxRecords, within(0.01));
            }
            assertThat(browser.evaluate("document.querySelectorAll('#runs-chart circle.point').length").asInt())
                    .isEqualTo(collections.size());
            assertThat(browser.evaluate("document.querySelector('#runs-chart polyline').getAttribute('points')"
                    + ".split(' ').length").asInt()).isEqualTo(collections.size());

            // webhooks per minute: the two notifications sent above, in the last 15 minutes' bars
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#webhooks-chart rect.minute'))"
                    + ".length").asInt()).isEqualTo(15);
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#webhooks-chart rect.minute'))"
                    + ".reduce((sum, bar) => sum + Number(bar.dataset.count), 0)").asInt())
                    .as("the test sends its webhooks less than 15 minutes before the page reads them").isEqualTo(2);
            assertThat(browser.evaluate("document.getElementById('webhooks-this-minute').textContent + ' '"
                    + " + document.getElementById('webhooks-last-minute').textContent").asText()).matches("\\d \\d");

            // each branch's queue and dead letters: the CRM's refused company
            assertThat(branchCell(browser, "crm", "dead-letters")).isEqualTo("1");
            assertThat(branchCell(browser, "crm", "queued")).isEqualTo("0");
            assertThat(branchCell(browser, "analytics", "dead-letters")).isEqualTo("0");
            assertThat(branchCell(browser, "analytics", "queued")).isEqualTo("0");
            // the tracking API's and the push syncs' dead letters have rows too
            assertThat(branchCell(browser, "tracking", "dead-letters")).isEqualTo("0");
            assertThat(branchCell(browser, "push", "dead-letters")).isEqualTo("0");
            assertThat(browser.evaluate("document.querySelector('tr[data-branch=analytics] button').disabled")
                    .asBoolean()).isTrue();

            // the token left the address bar and stays in the tab's session storage only, never in the page
            assertThat(browser.evaluate("location.href").asText()).isEqualTo("http://127.0.0.1:" + port + "/");
            assertThat(browser.evaluate("Object.values(sessionStorage).includes('" + TOKEN + "')").asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.documentElement.outerHTML").asText()).doesNotContain(TOKEN);
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target/status-page-it.png"), browser.screenshot());

            // the admin replays the dead letter after the CRM took the company back
            crm.clearRejections();
            browser.evaluate("document.querySelector('tr[data-branch=crm] button').click()");
            browser.waitFor("document.getElementById('replay-result').textContent === 'crm: 1 delivered, 0 still failing'"
                    + " && document.querySelector('tr[data-branch=crm] .dead-letters').textContent === '0'", RENDERED);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM " + bookkeeping.table("dead_letters"))).isZero();

            assertThat(browser.exceptions).as("JavaScript errors").isEmpty();
            assertThat(String.join("\n", browser.console)).doesNotContain(TOKEN);
        }
    }

    @Test
    void aWrongTokenGetsTheTokenFormAndNoData() throws Exception {
        String wrong = "not-the-admin-token-7d2a9b";
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.navigate("http://127.0.0.1:" + port + "/#token=" + wrong);
            browser.waitFor("document.body.dataset.state === 'token-needed'", RENDERED);

            assertThat(browser.evaluate("document.getElementById('token-panel').hidden").asBoolean()).isFalse();
            assertThat(browser.evaluate("document.getElementById('token-message').textContent").asText())
                    .contains("not accepted");
            assertThat(browser.evaluate("document.getElementById('token-reason').textContent").asText())
                    .isEqualTo("The hub says: admin token not accepted: it is not one of HUB_ADMIN_TOKENS");
            assertThat(browser.evaluate("document.getElementById('data').hidden").asBoolean()).isTrue();
            assertThat(browser.evaluate("document.querySelectorAll('#collections tbody tr, #branches tbody tr,"
                    + " #runs-chart *').length").asInt()).isZero();
            String text = browser.evaluate("document.body.innerText").asText();
            assertThat(text).contains("Admin token needed").doesNotContain("contacts").doesNotContain("succeeded");
            // the refused token is gone: from the address bar, the session storage and the page
            assertThat(browser.evaluate("location.href").asText()).isEqualTo("http://127.0.0.1:" + port + "/");
            assertThat(browser.evaluate("sessionStorage.length").asInt()).isZero();
            assertThat(browser.evaluate("document.documentElement.outerHTML").asText()).doesNotContain(wrong);

            // the right token typed into the form shows the data
            browser.evaluate("document.getElementById('token-input').value = '" + TOKEN + "';"
                    + " document.querySelector('#token-form button').click()");
            browser.waitFor("document.body.dataset.state === 'loaded'"
                    + " && document.querySelectorAll('#collections tbody tr').length > 0", RENDERED);
            assertThat(browser.evaluate("document.getElementById('token-panel').hidden").asBoolean()).isTrue();
            assertThat(browser.evaluate("document.getElementById('token-input').value").asText()).isEmpty();
            assertThat(browser.evaluate("document.documentElement.outerHTML").asText()).doesNotContain(TOKEN);
            assertThat(browser.exceptions).as("JavaScript errors").isEmpty();
            assertThat(String.join("\n", browser.console)).doesNotContain(TOKEN).doesNotContain(wrong);
        }
    }

    @Test
    void withoutAdminTokensABrowserOnLoopbackIsNotAskedForOne() throws Exception {
        // a hub with no HUB_ADMIN_TOKENS answers loopback callers: the page tries without a token and shows the data
        try (ConfigurableApplicationContext loopbackOnly = HubStart.production().withoutSchedules()
                .arg("sync.retry-failed-runs", 1).arg("sync.retry-backoff", "10m").run();
             HeadlessChromium browser = HeadlessChromium.start()) {
            // a failed run whose error carries markup, as a remote server's words may: shown as text, never run
            SyncStatusBoard board = loopbackOnly.getBean(SyncStatusBoard.class);
            assertThat(board.tryStart("tags")).isTrue();
            board.fail("tags", HOSTILE);
            // and its retry, due in 10 minutes
            assertThat(loopbackOnly.getBean(FailedRunRetries.class).failed("intercom-pull", "tags", 1)).isNotNull();
            String url = "http://127.0.0.1:" + loopbackOnly.getEnvironment().getProperty("local.server.port") + "/";
            browser.navigate(url);
            browser.waitFor("document.body.dataset.state === 'loaded'"
                    + " && document.querySelectorAll('#collections tbody tr').length === "
                    + new PullCatalog().names().size(), RENDERED);
            assertThat(browser.evaluate("document.getElementById('token-panel').hidden").asBoolean()).isTrue();
            assertThat(browser.evaluate("sessionStorage.length").asInt()).isZero();
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#collections tbody tr'))"
                    + ".filter(r => r.dataset.collection !== 'tags')"
                    + ".every(r => r.querySelector('.state').textContent === 'idle')").asBoolean()).isTrue();
            assertThat(browser.evaluate("document.querySelector('tr[data-collection=tags] .state').textContent")
                    .asText()).isEqualTo("failed");
            assertThat(browser.evaluate("document.querySelector('tr[data-collection=tags] .last-error').textContent")
                    .asText()).isEqualTo(HOSTILE);
            assertThat(browser.evaluate("document.querySelector('tr[data-collection=tags] .retry-at').textContent")
                    .asText()).matches("retry in (9|10) min \\d+ s");
            assertThat(browser.evaluate("document.querySelectorAll('.retry-at').length").asInt()).isEqualTo(1);
            // no push syncs on that hub: no such section
            assertThat(browser.evaluate("document.getElementById('push-section').hidden").asBoolean()).isTrue();
            assertThat(browser.evaluate("document.querySelectorAll('#data img, #data b').length").asInt()).isZero();
            assertThat(browser.evaluate("typeof window.pwned").asText()).isEqualTo("undefined");
            // the failed run is the history's only finished run: one red bar of no records
            assertThat(browser.evaluate("document.getElementById('runs-chart').dataset.runs").asText()).isEqualTo("1");
            assertThat(browser.evaluate("document.querySelectorAll('#runs-chart rect.bar.failed').length").asInt())
                    .isEqualTo(1);
            assertThat(browser.exceptions).as("JavaScript errors").isEmpty();
        }
    }

    @Test
    void theRunHistoryIsTheChartsSource() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode all = json.readTree(get("/sync/runs?limit=100", TOKEN).body());
        int collections = new PullCatalog().names().size();
        assertThat(all.path("count").asInt()).isEqualTo(collections);
        for (JsonNode run : all.path("runs")) {
            assertThat(run.path("state").asText()).isEqualTo("succeeded");
            assertThat(run.path("duration_ms").asLong()).isEqualTo(Instant.parse(run.path("ended_at").asText())
                    .toEpochMilli() - Instant.parse(run.path("started_at").asText()).toEpochMilli());
        }
        JsonNode contacts = json.readTree(get("/sync/runs?collection=contacts", TOKEN).body());
        assertThat(contacts.path("count").asInt()).isEqualTo(1);
        assertThat(contacts.path("runs").get(0).path("records").asLong()).isEqualTo(60);
        assertThat(contacts.path("runs").get(0).path("pages").asLong()).isPositive();
        assertThat(json.readTree(get("/sync/runs?limit=3", TOKEN).body()).path("runs")).hasSize(3);
        assertThat(get("/sync/runs?limit=0", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/sync/runs?limit=ten", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/sync/runs", "wrong-token-for-the-history").statusCode()).isEqualTo(401);
    }

    @Test
    void thePageFilesAreOpenAndTheDataIsNot() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/", "/index.html", "/status.js", "/status.css")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/sync/status", "/sync/runs", "/favicon.ico")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String branchCell(HeadlessChromium browser, String branch, String cell) throws Exception {
        return browser.evaluate("document.querySelector('tr[data-branch=" + branch + "] ." + cell + "').textContent")
                .asText();
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long value = jdbc.queryForObject(sql, Long.class);
        return value == null ? 0 : value;
    }
}
