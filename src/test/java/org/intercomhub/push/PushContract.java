package org.intercomhub.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.SandboxWorkspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push syncs end to end (one subclass per database): SQL models in the suite's warehouse schema, the syncs of
 * src/test/resources/push-it/syncs.camel.yaml made from routes/intercom-push.camel.yaml, run through
 * {@code POST /push/{sync}} against the sandbox, which is then read back record by record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(PushContract.Setup.class)
abstract class PushContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int USERS = 1000;
    static final int COMPANIES = 100;
    static final int EVENTS = 2000;
    static final String DOMAIN = "@push.example";

    static final class Setup implements ItSuite.Setup {
        @Override
        public SandboxServer startSandbox() {
            return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(200).withCompanies(20)
                    .withConversations(10));
        }

        @Override
        public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
            Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
            properties.put("camel.main.routes-include-pattern",
                    "file:routes/*.camel.yaml,classpath:push-it/syncs.camel.yaml");
            properties.put("push-it.schema", schema);
            // a second source: the other database of the two, with a model table named after the suite's schema
            ItDatabase other = database == ItDatabase.POSTGRES ? ItDatabase.MARIADB : ItDatabase.POSTGRES;
            properties.put("push.sources.other.url", other.url);
            properties.put("push.sources.other.user", other.user);
            properties.put("push-it.other-table", schema + "_other");
            properties.put("intercom.max-retries", "2");
            return properties;
        }
    }

    @Autowired
    ItSuite suite;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void models(@Autowired JdbcTemplate jdbc, @Autowired ItSuite suite) {
        String s = suite.schema();
        jdbc.execute("CREATE TABLE " + s + ".model_companies (company_id VARCHAR(40), name VARCHAR(100), "
                + "plan VARCHAR(40), monthly_spend DECIMAL(10,2), remote_created_at TIMESTAMP)");
        jdbc.execute("CREATE TABLE " + s + ".model_users (email VARCHAR(100), external_id VARCHAR(40), "
                + "name VARCHAR(100), signed_up_at TIMESTAMP, company_id VARCHAR(40), loyalty VARCHAR(20))");
        jdbc.execute("CREATE TABLE " + s + ".model_events (event_id VARCHAR(40), event_name VARCHAR(40), "
                + "created_at TIMESTAMP, email VARCHAR(100), metadata_order_id VARCHAR(40), metadata_amount INT)");
        jdbc.batchUpdate("INSERT INTO " + s + ".model_companies VALUES (?, ?, ?, ?, TIMESTAMP '2024-03-01 12:00:00')",
                range(COMPANIES, i -> new Object[]{"co-" + i, "Company " + i, i % 2 == 0 ? "pro" : "free", i * 10}));
        jdbc.batchUpdate("INSERT INTO " + s + ".model_users VALUES (?, ?, ?, TIMESTAMP '2024-01-02 03:04:05', ?, ?)",
                range(USERS, i -> new Object[]{"user" + i + DOMAIN, "ext-" + i, "User " + i, "co-" + (i % COMPANIES),
                        i % 3 == 0 ? "gold" : "silver"}));
        jdbc.batchUpdate("INSERT INTO " + s + ".model_events VALUES (?, 'ordered', ?, ?, ?, ?)",
                range(EVENTS, i -> new Object[]{"ev-" + i, java.time.LocalDateTime.of(2024, 5, 1, 0, 0).plusSeconds(i),
                        "user" + (i % USERS) + DOMAIN, "order-" + i, i}));
    }

    @Test
    @Order(1)
    void companiesUsersAndEventsLandInIntercomExactlyAsModelled() throws Exception {
        Map<String, Object> companies = run("companies");
        assertThat(companies).containsEntry("state", "succeeded").containsEntry("created", (long) COMPANIES);
        Map<String, Object> users = run("users");
        assertThat(users).containsEntry("state", "succeeded").containsEntry("created", (long) USERS)
                .containsEntry("rejected", 0L);
        Map<String, Object> events = run("events");
        assertThat(events).containsEntry("state", "succeeded").containsEntry("created", (long) EVENTS);

        SandboxWorkspace ws = suite.sandbox().workspace();
        Map<String, ObjectNode> pushed = contactsByEmail(ws);
        assertThat(pushed).hasSize(USERS);
        ObjectNode user7 = pushed.get("user7" + DOMAIN);
        assertThat(user7.path("external_id").asText()).isEqualTo("ext-7");
        assertThat(user7.path("name").asText()).isEqualTo("User 7");
        assertThat(user7.path("role").asText()).isEqualTo("user");
        assertThat(user7.path("signed_up_at").asLong()).isEqualTo(1704164645L); // 2024-01-02T03:04:05Z
        assertThat(user7.path("custom_attributes").path("loyalty").asText()).isEqualTo("silver");
        assertThat(companyIdsOf(user7)).containsExactly("co-7");
        assertThat(ws.events(user7.path("id").asText())).hasSize(EVENTS / USERS)
                .allSatisfy(e -> assertThat(e.path("event_name").asText()).isEqualTo("ordered"))
                .anySatisfy(e -> {
                    assertThat(e.path("metadata").path("order_id").asText()).isEqualTo("order-7");
                    assertThat(e.path("created_at").asLong()).isEqualTo(1714521600L + 7);
                });
        JsonNode company = intercomGet("/companies?company_id=co-4");
        assertThat(company.path("name").asText()).isEqualTo("Company 4");
        assertThat(company.path("plan").path("name").asText(company.path("plan").asText())).isEqualTo("pro");
        assertThat(company.path("monthly_spend").asDouble()).isEqualTo(40.0);
        assertThat(rows("users", "created")).isEqualTo(USERS);
    }

    @Test
    @Order(2)
    void aSecondRunWritesOnlyTheRowsThatChangedOneRequestEach() throws Exception {
        jdbc.update("UPDATE " + suite.schema() + ".model_users SET name = CONCAT('Renamed ', name) "
                + "WHERE external_id IN (" + range(50, i -> "'ext-" + (i * 20) + "'").stream()
                .map(a -> (String) a).collect(Collectors.joining(",")) + ")");
        suite.sandbox().stats().reset();
        Map<String, Object> users = run("users");
        assertThat(users).containsEntry("updated", 50L).containsEntry("unchanged", (long) USERS - 50)
                .containsEntry("created", 0L).containsEntry("rejected", 0L);
        Map<String, Long> requests = suite.sandbox().stats().requestsPerPath();
        // one PUT per changed row, through the id the hub remembered: no search, no create, nothing else written
        assertThat(requests.get("PUT /contacts/{id}")).isEqualTo(50L);
        assertThat(requests.keySet()).doesNotContain("POST /contacts/search", "POST /contacts");
        assertThat(requests.getOrDefault("POST /contacts/{id}/companies", 0L)).isEqualTo(50L);
        assertThat(contactsByEmail(suite.sandbox().workspace()).get("user20" + DOMAIN).path("name").asText())
                .isEqualTo("Renamed User 20");

        suite.sandbox().stats().reset();
        assertThat(run("users")).containsEntry("unchanged", (long) USERS);
        assertThat(run("events")).containsEntry("unchanged", (long) EVENTS).containsEntry("created", 0L);
        assertThat(suite.sandbox().stats().totalRequests()).isZero();
    }

    @Test
    @Order(3)
    void updateOnlyNeverCreates() throws Exception {
        String s = suite.schema();
        jdbc.execute("CREATE TABLE " + s + ".model_update_only (email VARCHAR(100), name VARCHAR(100))");
        jdbc.update("INSERT INTO " + s + ".model_update_only VALUES ('user1" + DOMAIN + "', 'Updated One'), "
                + "('user2" + DOMAIN + "', 'Updated Two'), ('nobody" + DOMAIN + "', 'Nobody')");
        suite.sandbox().workspace().setClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5))); // indexed
        int before = suite.sandbox().workspace().count("contacts");
        Map<String, Object> run = run("users_update_only");
        assertThat(run).containsEntry("updated", 2L).containsEntry("rejected", 1L).containsEntry("created", 0L);
        assertThat(suite.sandbox().workspace().count("contacts")).isEqualTo(before);
        assertThat(reason("users_update_only", "nobody" + DOMAIN)).startsWith("not_found");
        assertThat(contactsByEmail(suite.sandbox().workspace()).get("user2" + DOMAIN).path("name").asText())
                .isEqualTo("Updated Two");
    }

    @Test
    @Order(4)
    void unknownAttributesAreRejectedNamedThenCreatedWhenAllowed() throws Exception {
        String s = suite.schema();
        jdbc.execute("CREATE TABLE " + s + ".model_attr (email VARCHAR(100), favourite_colour VARCHAR(20))");
        jdbc.update("INSERT INTO " + s + ".model_attr VALUES ('user3" + DOMAIN + "', 'teal')");
        assertThat(run("attr_strict")).containsEntry("rejected", 1L).containsEntry("updated", 0L);
        assertThat(reason("attr_strict", "user3" + DOMAIN)).contains("favourite_colour").contains("create-attributes");
        assertThat(intercomGet("/data_attributes?model=contact").toString()).doesNotContain("favourite_colour");

        // the refused row is a dead letter of branch push, one per key however often it is refused
        assertThat(run("attr_strict")).containsEntry("rejected", 1L);
        List<Map<String, Object>> letters = jdbc.queryForList("SELECT collection, record_id, attempts, last_error FROM "
                + s + "_hub.dead_letters WHERE branch = 'push' AND collection = 'attr_strict'");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0)).containsEntry("collection", "attr_strict")
                .containsEntry("record_id", "user3" + DOMAIN);
        assertThat(((Number) letters.get(0).get("attempts")).intValue()).isEqualTo(2);
        assertThat((String) letters.get(0).get("last_error")).contains("favourite_colour");

        assertThat(run("attr_create")).containsEntry("updated", 1L).containsEntry("rejected", 0L);
        assertThat(intercomGet("/data_attributes?model=contact").toString()).contains("favourite_colour");
        // now that Intercom has the attribute, the operator replays the letter: written, and the letter goes
        HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/dead-letters/replay")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"branch\":\"push\",\"collection\":\"attr_strict\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(count(s + "_hub.dead_letters WHERE branch = 'push' AND collection = 'attr_strict'"))
                .as(replayed.body()).isZero();
        // update_only's contact that Intercom does not have is still a letter (test 3)
        assertThat(count(s + "_hub.dead_letters WHERE branch = 'push' AND collection = 'users_update_only'")).isOne();
        assertThat(jdbc.queryForObject("SELECT outcome FROM " + s + "_hub.push_rows WHERE sync_name = 'attr_strict'",
                String.class)).isEqualTo("updated");
        assertThat(run("attr_strict")).containsEntry("unchanged", 1L).containsEntry("rejected", 0L);
        assertThat(contactsByEmail(suite.sandbox().workspace()).get("user3" + DOMAIN)
                .path("custom_attributes").path("favourite_colour").asText()).isEqualTo("teal");
    }

    @Test
    @Order(5)
    void archiveModeAndMissingArchiveArchiveInIntercom() throws Exception {
        String s = suite.schema();
        jdbc.execute("CREATE TABLE " + s + ".model_archive (email VARCHAR(100))");
        jdbc.update("INSERT INTO " + s + ".model_archive VALUES ('user10" + DOMAIN + "'), ('user11" + DOMAIN + "')");
        String id10 = contactsByEmail(suite.sandbox().workspace()).get("user10" + DOMAIN).path("id").asText();
        assertThat(run("users_archive")).containsEntry("archived", 2L);
        assertThat(contactStatus(id10)).isEqualTo(404); // archived contacts are not found by id

        jdbc.execute("CREATE TABLE " + s + ".model_missing (external_id VARCHAR(40), email VARCHAR(100), "
                + "name VARCHAR(100))");
        jdbc.batchUpdate("INSERT INTO " + s + ".model_missing VALUES (?, ?, ?)",
                range(10, i -> new Object[]{"gone-" + i, "gone" + i + DOMAIN, "Gone " + i}));
        assertThat(run("users_missing")).containsEntry("created", 10L);
        jdbc.update("DELETE FROM " + s + ".model_missing WHERE external_id IN ('gone-1', 'gone-2', 'gone-3')");
        Map<String, Object> second = run("users_missing");
        assertThat(second).containsEntry("archived", 3L).containsEntry("unchanged", 7L);
        assertThat(jdbc.queryForList("SELECT outcome FROM " + s + "_hub.push_rows WHERE sync_name = 'users_missing' "
                + "AND outcome = 'archived'")).hasSize(3);
        assertThat(run("users_missing")).containsEntry("archived", 0L).containsEntry("unchanged", 7L);
    }

    @Test
    @Order(6)
    void aCreateThatLosesTheRaceWithTheSearchIndexUpdatesTheExistingContact() throws Exception {
        SandboxWorkspace ws = suite.sandbox().workspace();
        // written by someone else a moment ago: Intercom's search does not show it yet, its create answers 409
        intercomPost("/contacts", "{\"role\":\"user\",\"email\":\"racer" + DOMAIN + "\",\"name\":\"Before\"}");
        jdbc.execute("CREATE TABLE " + suite.schema() + ".model_race (email VARCHAR(100), name VARCHAR(100))");
        jdbc.update("INSERT INTO " + suite.schema() + ".model_race VALUES ('racer" + DOMAIN + "', 'After')");
        int before = ws.count("contacts");
        Map<String, Object> run = run("users_race");
        assertThat(run).containsEntry("updated", 1L).containsEntry("created", 0L);
        assertThat(ws.count("contacts")).isEqualTo(before);
        assertThat(reason("users_race", "racer" + DOMAIN)).contains("409");
        assertThat(contactsByEmail(ws).get("racer" + DOMAIN).path("name").asText()).isEqualTo("After");
    }

    @Test
    @Order(7)
    void severalContactsWithTheMatchValueAreRejectedAsAmbiguous() throws Exception {
        SandboxWorkspace ws = suite.sandbox().workspace();
        // leads may share an email; once indexed, a search finds both
        intercomPost("/contacts", "{\"role\":\"lead\",\"email\":\"twin" + DOMAIN + "\",\"name\":\"Twin A\"}");
        intercomPost("/contacts", "{\"role\":\"lead\",\"email\":\"twin" + DOMAIN + "\",\"name\":\"Twin B\"}");
        ws.setClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        jdbc.execute("CREATE TABLE " + suite.schema() + ".model_leads (email VARCHAR(100), name VARCHAR(100))");
        jdbc.update("INSERT INTO " + suite.schema() + ".model_leads VALUES ('twin" + DOMAIN + "', 'Twin C')");
        assertThat(run("leads_by_email")).containsEntry("rejected", 1L).containsEntry("updated", 0L);
        assertThat(reason("leads_by_email", "twin" + DOMAIN)).startsWith("ambiguous: 2 contacts");
        assertThat(ws.contactIds().stream().map(ws::contact).filter(c -> c.path("email").asText()
                .equals("twin" + DOMAIN)).map(c -> c.path("name").asText())).containsExactlyInAnyOrder("Twin A", "Twin B");
    }

    @Test
    @Order(8)
    void previewCountsWhatARunWouldDoAndWritesNothing() throws Exception {
        String s = suite.schema();
        jdbc.update("UPDATE " + s + ".model_users SET loyalty = 'platinum' WHERE external_id IN ('ext-1', 'ext-2')");
        jdbc.update("INSERT INTO " + s + ".model_users VALUES ('fresh" + DOMAIN + "', 'ext-fresh', 'Fresh', NULL, "
                + "NULL, NULL)");
        long stored = count(s + "_hub.push_rows");
        suite.sandbox().stats().reset();
        HttpResponse<String> response = post("/push/users/preview?limit=5000");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode preview = JSON.readTree(response.body());
        assertThat(preview.path("rows_previewed").asLong()).isEqualTo(USERS + 1);
        assertThat(preview.path("counts").path("updated").asLong()).isEqualTo(2);
        assertThat(preview.path("counts").path("created").asLong()).isEqualTo(1);
        assertThat(preview.path("counts").path("unchanged").asLong()).isEqualTo(USERS - 2);
        assertThat(preview.path("samples").path("created").get(0).path("key").asText()).isEqualTo("fresh" + DOMAIN);
        Map<String, Long> requests = suite.sandbox().stats().requestsPerPath();
        assertThat(requests.keySet()).allMatch(path -> path.startsWith("GET ") || path.equals("POST /contacts/search"));
        assertThat(count(s + "_hub.push_rows")).isEqualTo(stored);
        assertThat(post("/push/nope/preview").statusCode()).isEqualTo(404);
        assertThat(post("/push/users/preview?limit=zero").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(9)
    void aRunStoppedHalfWaySendsNoEventTwiceWhenRunAgain() throws Exception {
        String s = suite.schema();
        int renewals = USERS - 12; // users 10 and 11 are archived by now: their events would be refused
        jdbc.batchUpdate("INSERT INTO " + s + ".model_events VALUES (?, 'renewed', ?, ?, NULL, NULL)",
                range(renewals, i -> new Object[]{"renewal-" + i, java.time.LocalDateTime.of(2024, 6, 1, 0, 0)
                        .plusSeconds(i), "user" + (12 + i) + DOMAIN}));
        suite.sandbox().stats().reset();
        // Intercom breaks down after 300 events: retries run out, the run stops
        suite.sandbox().faults().failMatchingAfter("/events", 300, 100_000, 503);
        Map<String, Object> broken = run("events");
        assertThat(broken).containsEntry("state", "failed").containsEntry("rejected", 0L);
        long sentFirst = (Long) broken.get("created");
        assertThat(sentFirst).isBetween(250L, 300L);
        suite.sandbox().faults().reset();
        long failed = suite.sandbox().stats().serverErrorResponses();

        Map<String, Object> again = run("events");
        assertThat(again).containsEntry("state", "succeeded").containsEntry("created", renewals - sentFirst)
                .containsEntry("unchanged", EVENTS + sentFirst).containsEntry("rejected", 0L);
        // every accepted POST /events was a different event: none sent twice
        assertThat(suite.sandbox().stats().requests("POST /events") - failed).isEqualTo(renewals);
        SandboxWorkspace ws = suite.sandbox().workspace();
        String id15 = contactsByEmail(ws).get("user15" + DOMAIN).path("id").asText();
        assertThat(ws.events(id15).stream().filter(e -> e.path("event_name").asText().equals("renewed"))).hasSize(1);
    }

    @Test
    @Order(10)
    void triggerAnswersAsTheSyncApiDoes(@Autowired org.apache.camel.CamelContext camel) throws Exception {
        assertThat(camel.getRoute("push-users")).as("each sync's route is push-<sync>").isNotNull();
        assertThat(post("/push/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/sync/status")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode push = JSON.readTree(status.body()).path("push");
        assertThat(push.path("users").path("mode").asText()).isEqualTo("upsert");
        assertThat(push.path("users").path("recent_runs").get(0).path("state").asText()).isEqualTo("succeeded");
        assertThat(push.path("users").path("recent_runs").get(0).path("unchanged").asLong()).isEqualTo(USERS);
    }

    /** First, while the sandbox's clock is the real one: the limiter waits for windows the sandbox's clock tells. */
    @Test
    @Order(0)
    void aPushAndAPullOfTheSameAppShareOneRateBudgetWithoutA429() throws Exception {
        String s = suite.schema();
        jdbc.execute("CREATE TABLE " + s + ".model_budget (email VARCHAR(100), name VARCHAR(100))");
        jdbc.batchUpdate("INSERT INTO " + s + ".model_budget VALUES (?, ?)",
                range(100, i -> new Object[]{"budget" + i + "@budget.example", "Budget " + i}));
        suite.sandbox().stats().reset();
        suite.sandbox().setRateLimitPer10s(150);
        try {
            long pullsBefore = count(s + "_hub.sync_runs WHERE collection = 'contacts' AND state = 'succeeded'");
            assertThat(post("/sync/contacts").statusCode()).isEqualTo(202);
            Map<String, Object> push = run("budget_users"); // a search and a create per row, while the pull runs
            assertThat(push).containsEntry("state", "succeeded").containsEntry("created", 100L);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                    count(s + "_hub.sync_runs WHERE collection = 'contacts' AND state = 'succeeded'") > pullsBefore);
            assertThat(suite.sandbox().stats().totalRequests()).as("enough requests to need more than one window")
                    .isGreaterThan(150);
            assertThat(suite.sandbox().stats().rateLimitedResponses()).isZero();
        } finally {
            suite.sandbox().setRateLimitPer10s(0);
        }
    }

    @Test
    @Order(12)
    void aSyncReadsItsModelFromTheSourceItNames() throws Exception {
        String table = (String) suite.properties().get("push-it.other-table");
        ItDatabase other = suite.database() == ItDatabase.POSTGRES ? ItDatabase.MARIADB : ItDatabase.POSTGRES;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(other.url, other.user, "");
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (email VARCHAR(100), name VARCHAR(100))");
            try {
                statement.execute("INSERT INTO " + table + " VALUES ('elsewhere1" + DOMAIN + "', 'Elsewhere One'), "
                        + "('elsewhere2" + DOMAIN + "', 'Elsewhere Two')");
                assertThat(run("other_users")).containsEntry("state", "succeeded").containsEntry("created", 2L);
                assertThat(contactsByEmail(suite.sandbox().workspace()).get("elsewhere2" + DOMAIN)
                        .path("role").asText()).isEqualTo("lead");
            } finally {
                statement.execute("DROP TABLE " + table);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a sync through the API and waits for its run to end; its push_runs row. */
    Map<String, Object> run(String sync) throws Exception {
        long before = count(suite.schema() + "_hub.push_runs WHERE sync_name = '" + sync + "'");
        HttpResponse<String> response = post("/push/" + sync);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() ->
                count(suite.schema() + "_hub.push_runs WHERE sync_name = '" + sync + "' AND state <> 'running'")
                        > before);
        Map<String, Object> row = jdbc.queryForList("SELECT state, rows_read, created, updated, unchanged, archived, "
                + "deleted, rejected, error FROM " + suite.schema() + "_hub.push_runs WHERE sync_name = ? "
                + "ORDER BY started_at DESC", sync).get(0);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v instanceof Number n ? n.longValue() : v));
        return out;
    }

    String reason(String sync, String key) {
        return jdbc.queryForObject("SELECT reason FROM " + suite.schema() + "_hub.push_rows WHERE sync_name = ? "
                + "AND row_key = ?", String.class, sync, key);
    }

    long rows(String sync, String outcome) {
        return count(suite.schema() + "_hub.push_rows WHERE sync_name = '" + sync + "' AND outcome = '" + outcome + "'");
    }

    long count(String tableAndWhere) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + tableAndWhere, Long.class);
        return n == null ? 0 : n;
    }

    HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode intercomGet(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(suite.sandbox().baseUrl() + path))
                .header("Authorization", "Bearer " + suite.sandbox().config().accessToken())
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    void intercomPost(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(suite.sandbox().baseUrl() + path))
                .header("Authorization", "Bearer " + suite.sandbox().config().accessToken())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    int contactStatus(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(suite.sandbox().baseUrl() + "/contacts/" + id))
                .header("Authorization", "Bearer " + suite.sandbox().config().accessToken()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The sandbox's live contacts with an address of the models' domain, by email. */
    static Map<String, ObjectNode> contactsByEmail(SandboxWorkspace ws) {
        Map<String, ObjectNode> out = new java.util.HashMap<>();
        for (String id : ws.contactIds()) {
            ObjectNode contact = ws.contact(id);
            if (contact != null && contact.path("email").asText().endsWith(DOMAIN)
                    && !contact.path("email").asText().startsWith("twin")) { // the twins share one email
                out.put(contact.path("email").asText(), contact);
            }
        }
        return out;
    }

    List<String> companyIdsOf(ObjectNode contact) throws Exception {
        List<String> out = new ArrayList<>();
        intercomGet("/contacts/" + contact.path("id").asText() + "/companies").path("data")
                .forEach(c -> out.add(c.path("company_id").asText()));
        return out;
    }

    static <T> List<T> range(int n, java.util.function.IntFunction<T> item) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(item.apply(i));
        }
        return out;
    }
}
