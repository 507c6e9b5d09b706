package org.intercomhub.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.intercomhub.fanout.FanoutTestAnalytics.AMPLITUDE;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out end to end (one subclass per database): batches into direct:fanout, the warehouse written at once, the CRM (and
 * analytics) branches fed from their outbox to real HTTP stubs on loopback; failures, dead letters and replay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(FanoutContract.Setup.class)
abstract class FanoutContract {

    static final ObjectMapper JSON = new ObjectMapper();
    static final CrmStub CRM = new CrmStub(0, "crm-key");

    /** The suites' sandbox and settings: the branches pointed at the stub CRM and Amplitude, fast retries. */
    static final class Setup implements ItSuite.Setup {
        @Override
        public SandboxServer startSandbox() {
            return SandboxServer.start(SandboxConfig.defaults().withPort(0));
        }

        @Override
        public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
            Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
            properties.put("fanout.poll-interval-ms", "50");
            properties.put("fanout.initial-backoff", "20ms");
            properties.put("fanout.max-backoff", "1s");
            properties.put("fanout.max-attempts", "6");
            properties.put("crm.base-url", CRM.baseUrl());
            properties.put("crm.api-key", "crm-key");
            properties.put("crm.delete-users", "true");
            properties.put("analytics.enabled", "true");
            properties.put("analytics.url", AMPLITUDE.url());
            properties.put("analytics.api-key", "amp-key");
            return properties;
        }
    }

    /** The stubs live as long as the test JVM (each database's class uses them in turn): fresh for each class. */
    @org.junit.jupiter.api.BeforeAll
    static void freshStubs() {
        CRM.reset();
        AMPLITUDE.reset();
    }

    @Autowired
    ItSuite suite;

    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    static CanonicalRecord user(int n) {
        try {
            return new RecordMapper().toRecord("contacts", JSON.readTree("""
                    {"type":"contact","id":"c%d","role":"user","external_id":"user-%05d","email":"u%d@example.com",
                     "name":"User %d","updated_at":1700000000}""".formatted(n, n, n, n)), Source.PULL);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CanonicalRecord company(String companyId) {
        try {
            return new RecordMapper().toRecord("companies", JSON.readTree("""
                    {"type":"company","id":"ic-%s","company_id":"%s","name":"Company %s"}""".formatted(companyId,
                    companyId, companyId)), Source.PULL);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String table, String where) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + (where == null ? "" : " WHERE " + where),
                Long.class);
        return n == null ? 0 : n;
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    @Order(1)
    void crmDownForAWhileLosesNothingAndDoesNotHoldUpTheWarehouse() {
        CRM.failWith(503);
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            batch.add(user(i));
        }
        batch.add(company("acme-1"));
        producer.sendBody("direct:fanout", batch);
        // the fan-out returned: the warehouse has the rows now, while the CRM answers 503
        assertThat(count(suite.schema() + ".contacts", "id LIKE 'c%'")).isEqualTo(20);
        assertThat(count(suite.schema() + "_hub.branch_outbox", "branch = 'crm'")).isEqualTo(21);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> CRM.received().isEmpty()
                && count(suite.schema() + "_hub.branch_outbox", "branch = 'crm' AND attempts >= 1") == 21);
        CRM.failWith(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> CRM.records("user").size() == 20
                && CRM.records("account").size() == 1);
        // the drain settles its rows after the CRM answered: the queue empties a moment after the last delivery
        await().atMost(Duration.ofSeconds(20)).until(() -> count(suite.schema() + "_hub.branch_outbox", "branch = 'crm'") == 0);
        assertThat(count(suite.schema() + "_hub.dead_letters", "branch = 'crm'")).isZero();
    }

    @Test
    @Order(2)
    void refusedRecordsAreDeadLetteredListedAndReplayed() throws Exception {
        CRM.rejectId("user-00031", "email is not valid");
        CRM.rejectId("bad-co", "name is reserved");
        producer.sendBody("direct:fanout", List.of(user(30), user(31), company("bad-co")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(suite.schema() + "_hub.dead_letters", "branch = 'crm'") == 2);
        assertThat(CRM.records("user")).containsKey("user-00030");

        JsonNode all = get("/dead-letters?branch=crm");
        assertThat(all.path("count").asInt()).isEqualTo(2);
        JsonNode companies = get("/dead-letters?branch=crm&collection=companies");
        assertThat(companies.path("count").asInt()).isEqualTo(1);
        JsonNode letter = companies.path("dead_letters").get(0);
        assertThat(letter.path("record_id").asText()).isEqualTo("ic-bad-co");
        assertThat(letter.path("last_error").asText()).contains("422").contains("name is reserved");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);

        // still refused: the letter stays, with one more attempt
        JsonNode again = post("/dead-letters/replay", "{\"ids\":[\"" + letter.path("id").asText() + "\"]}");
        assertThat(again.path("still_failing").asInt()).isEqualTo(1);
        assertThat(get("/dead-letters?branch=crm&collection=companies").path("dead_letters").get(0)
                .path("attempts").asInt()).isEqualTo(2);

        CRM.clearRejections();
        JsonNode replayed = post("/dead-letters/replay?branch=crm", "");
        assertThat(replayed.path("delivered").asInt()).isEqualTo(2);
        assertThat(count(suite.schema() + "_hub.dead_letters", "branch = 'crm'")).isZero();
        assertThat(CRM.records("user")).containsKey("user-00031");
        assertThat(CRM.records("account")).containsKey("bad-co");
    }

    @Test
    @Order(3)
    void aBranchStillDownAfterTheLastAttemptDeadLettersAndAReplayDeliversOnce() throws Exception {
        CRM.failWith(500);
        producer.sendBody("direct:fanout", List.of(user(40)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(suite.schema() + "_hub.dead_letters", "branch = 'crm'") == 1);
        JsonNode letter = get("/dead-letters?branch=crm").path("dead_letters").get(0);
        assertThat(letter.path("attempts").asInt()).isEqualTo(6);
        assertThat(letter.path("last_error").asText()).contains("500");
        CRM.failWith(0);
        int before = CRM.received().size();
        assertThat(post("/dead-letters/replay", "{\"all\":true}").path("delivered").asInt()).isEqualTo(1);
        assertThat(CRM.received().size()).isEqualTo(before + 1);
        assertThat(CRM.records("user")).containsKey("user-00040");
        assertThat(count(suite.schema() + "_hub.dead_letters", null)).isZero();
    }

    /** A webhook contact notification as the webhook processor hands it over: the record carries its notification. */
    static CanonicalRecord notified(int n) {
        CanonicalRecord contact = user(n);
        return new CanonicalRecord("contacts", contact.id(), contact.op(), Source.WEBHOOK, contact.sourceUpdatedAt(),
                contact.row(), contact.children(),
                new CanonicalRecord.Event("contact.user.updated", "notif_" + n, 1700000000L + n));
    }

    @Test
    @Order(4)
    void analyticsDownDoesNotHoldUpTheWarehouseOrTheCrmAndAReplayDeliversEachEventOnce() throws Exception {
        // the earlier tests' pulled users reached Amplitude as Identify calls first
        await().atMost(Duration.ofSeconds(20)).until(() -> count(suite.schema() + "_hub.branch_outbox", "branch = 'analytics'") == 0);
        int before = AMPLITUDE.ingested().size();
        AMPLITUDE.failWith(503);
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int i = 100; i < 130; i++) {
            batch.add(notified(i));
        }
        for (int i = 200; i < 210; i++) {
            batch.add(user(i)); // pulled: Identify
        }
        producer.sendBody("direct:fanout", batch);
        assertThat(count(suite.schema() + ".contacts", "id IN ('c100', 'c129', 'c209')")).isEqualTo(3);
        // the CRM gets its 40 users while Amplitude answers 503
        await().atMost(Duration.ofSeconds(20)).until(() ->
                java.util.stream.IntStream.range(100, 130).allMatch(i -> CRM.records("user").containsKey("user-%05d".formatted(i)))
                        && CRM.records("user").containsKey("user-00209"));
        assertThat(AMPLITUDE.ingested()).hasSize(before);
        // Amplitude stays down past the last attempt: every event is a dead letter, none lost
        // a batch's letters are stored before its rows leave the queue: wait for both
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count(suite.schema() + "_hub.dead_letters", "branch = 'analytics'") == 40
                        && count(suite.schema() + "_hub.branch_outbox", "branch = 'analytics'") == 0);
        JsonNode listed = get("/dead-letters?branch=analytics&collection=contacts");
        assertThat(listed.path("count").asInt()).isEqualTo(40);
        assertThat(listed.path("dead_letters").get(0).path("last_error").asText()).contains("503");

        AMPLITUDE.failWith(0);
        JsonNode replayed = post("/dead-letters/replay", "{\"branch\":\"analytics\"}");
        assertThat(replayed.path("delivered").asInt()).isEqualTo(40);
        assertThat(count(suite.schema() + "_hub.dead_letters", "branch = 'analytics'")).isZero();
        // once each, by insert_id: a second replay has nothing left to send
        assertThat(post("/dead-letters/replay", "{\"all\":true}").path("selected").asInt()).isZero();
        for (int i = 100; i < 130; i++) {
            assertThat(AMPLITUDE.timesIngested("notif_" + i)).as("notif_" + i).isEqualTo(1);
        }
        for (int i = 200; i < 210; i++) {
            assertThat(AMPLITUDE.timesIngested("intercom-identify-c" + i + "-1700000000")).isEqualTo(1);
        }
        assertThat(AMPLITUDE.ingested()).hasSize(before + 40);
        JsonNode event = AMPLITUDE.ingested().stream()
                .filter(e -> e.path("insert_id").asText().equals("notif_105")).findFirst().orElseThrow();
        assertThat(event.path("event_type").asText()).isEqualTo("[Intercom] contact.user.updated");
        assertThat(event.path("time").asLong()).isEqualTo((1700000000L + 105) * 1000);
        assertThat(event.path("user_id").asText()).isEqualTo("user-00105");
    }

    @Test
    @Order(5)
    void analyticsBackAfterAnOutageDeliversFromItsQueueAndUsersWithoutIdsAreDropped() {
        AMPLITUDE.failWith(503);
        CanonicalRecord anonymous = new CanonicalRecord("contacts", "c999", CanonicalRecord.Operation.UPSERT,
                Source.WEBHOOK, 1L, Map.of("id", "c999", "role", "lead", "external_id", "n/a"),
                Map.of(), new CanonicalRecord.Event("contact.lead.created", "notif_999", 1700000999L));
        producer.sendBody("direct:fanout", List.of(notified(300), notified(301), anonymous));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() ->
                count(suite.schema() + "_hub.branch_outbox", "branch = 'analytics' AND attempts >= 1") >= 2);
        AMPLITUDE.failWith(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> AMPLITUDE.timesIngested("notif_300") == 1
                && AMPLITUDE.timesIngested("notif_301") == 1
                && count(suite.schema() + "_hub.branch_outbox", "branch = 'analytics'") == 0);
        assertThat(AMPLITUDE.timesIngested("notif_999")).isZero();
        assertThat(count(suite.schema() + "_hub.dead_letters", "branch = 'analytics'")).isZero();
    }

    @Test
    @Order(6)
    void statusShowsEachBranch() throws Exception {
        JsonNode destinations = get("/sync/status").path("destinations");
        JsonNode crm = destinations.path("crm");
        assertThat(crm.path("sent").asLong()).isGreaterThanOrEqualTo(24);
        assertThat(crm.path("failed").asLong()).isGreaterThan(0);
        assertThat(crm.path("dead_lettered").asLong()).isEqualTo(3);
        assertThat(crm.path("waiting").asLong()).isZero();
        assertThat(destinations.has("warehouse")).isTrue();
        JsonNode analytics = destinations.path("analytics");
        assertThat(analytics.path("sent").asLong()).isEqualTo(AMPLITUDE.ingested().size());
        assertThat(analytics.path("dead_lettered").asLong()).isEqualTo(40);
        assertThat(analytics.path("dropped").asLong()).isEqualTo(1);
        assertThat(analytics.path("dropped_because").path("no valid user_id or email").asLong()).isEqualTo(1);
    }
}
