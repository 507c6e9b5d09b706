package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItDatabase;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracking API end to end (one subclass per database): Segment's own Java client and raw HTTP calls against the
 * hub, the calls applied to the Intercom sandbox, written to the warehouse, refused as Segment refuses them.
 * Every test uses users and messageIds of its own.
 */
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(TrackingContract.Setup.class)
abstract class TrackingContract {

    static final String WRITE_KEY = "wk-test-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final AmplitudeStub AMPLITUDE = new AmplitudeStub(0, "amp-key");

    /** A small sandbox; the API on with two keys (rotation), fast retries. */
    static final class Setup implements ItSuite.Setup {
        @Override
        public SandboxServer startSandbox() {
            return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(40).withCompanies(10)
                    .withConversations(5));
        }

        @Override
        public Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema) {
            Map<String, Object> properties = ItSuite.baseProperties(sandbox, database, schema);
            properties.put("tracking.write-keys", "wk-old-key-9876543210, " + WRITE_KEY);
            properties.put("tracking.poll-interval-ms", "50");
            properties.put("tracking.initial-backoff", "20ms");
            properties.put("tracking.max-backoff", "300ms");
            properties.put("tracking.max-attempts", "30");
            properties.put("intercom.max-retries", "1");
            properties.put("analytics.enabled", "true");
            properties.put("analytics.url", AMPLITUDE.url());
            properties.put("analytics.api-key", "amp-key");
            properties.put("fanout.poll-interval-ms", "50");
            return properties;
        }
    }

    @Autowired
    ItSuite suite;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final List<Analytics> clients = new ArrayList<>();

    @AfterEach
    void shutDownClients() {
        clients.forEach(Analytics::shutdown);
        suite.sandbox().faults().failNext(0, 503);
    }

    // ------------------------------------------------------------------ Segment's Java client

    @Test
    void segmentsJavaClientSendsIdentifyGroupAndTrackIntoIntercom() throws Exception {
        String run = unique();
        Sent sent = new Sent();
        Analytics analytics = segment(WRITE_KEY, sent);
        for (int n = 1; n <= 3; n++) {
            String userId = run + "-user-" + n;
            Map<String, Object> traits = new LinkedHashMap<>();
            traits.put("email", userId + "@example.com");
            traits.put("firstName", "Ada");
            traits.put("lastName", "User" + n);
            traits.put("phone", "+1555000" + n);
            traits.put("createdAt", "2024-03-01T10:00:00Z");
            traits.put("plan_tier", "pro");
            traits.put("seats", n * 10);
            // an object trait: flattened into address_city, address_geo_lat (Intercom's attributes are flat)
            traits.put("address", Map.of("city", "Paris", "geo", Map.of("lat", 48.85)));
            // messageIds of the run's own, so the run's calls can be found in the inbox
            analytics.enqueue(IdentifyMessage.builder().userId(userId).messageId(run + "-i" + n).traits(traits));
            analytics.enqueue(GroupMessage.builder(run + "-acme").userId(userId).messageId(run + "-g" + n).traits(Map.of("name", "Acme " + run,
                    "plan", "enterprise", "monthly_spend", 1200.5, "industry", "Mining", "employees", 250,
                    "region", "emea")));
            analytics.enqueue(TrackMessage.builder("Order Completed").userId(userId).messageId(run + "-t" + n)
                    .properties(Map.of("revenue", 12.34, "currency", "EUR", "sku", "SKU-" + n,
                            "shipping", Map.of("method", "express"))));
        }
        analytics.flush();
        await().atMost(PATIENCE).until(() -> sent.succeeded.size() == 9 || !sent.failed.isEmpty());
        assertThat(sent.failed).isEmpty();

        await().atMost(PATIENCE).until(() -> applied(run) == 9);
        String companyId = null;
        for (int n = 1; n <= 3; n++) {
            String userId = run + "-user-" + n;
            ObjectNode contact = contactByUserId(userId);
            assertThat(contact).as(userId).isNotNull();
            assertThat(contact.path("role").asText()).isEqualTo("user");
            assertThat(contact.path("email").asText()).isEqualTo(userId + "@example.com");
            assertThat(contact.path("name").asText()).isEqualTo("Ada User" + n);
            assertThat(contact.path("phone").asText()).isEqualTo("+1555000" + n);
            assertThat(contact.path("signed_up_at").asLong()).isEqualTo(1709287200L);
            assertThat(contact.path("custom_attributes").path("plan_tier").asText()).isEqualTo("pro");
            assertThat(contact.path("custom_attributes").path("seats").asLong()).isEqualTo(n * 10L);
            assertThat(contact.path("custom_attributes").path("address_city").asText()).isEqualTo("Paris");
            assertThat(contact.path("custom_attributes").path("address_geo_lat").asDouble()).isEqualTo(48.85);
            List<String> companies = contact.path("companies").path("data").findValuesAsText("id");
            assertThat(companies).hasSize(1);
            companyId = companies.get(0);
            List<ObjectNode> events = suite.sandbox().workspace().events(contact.path("id").asText());
            assertThat(events).hasSize(1);
            ObjectNode event = events.get(0);
            assertThat(event.path("event_name").asText()).isEqualTo("Order Completed");
            assertThat(event.path("metadata").path("price").path("amount").asLong()).isEqualTo(1234);
            assertThat(event.path("metadata").path("price").path("currency").asText()).isEqualTo("eur");
            assertThat(event.path("metadata").path("sku").asText()).isEqualTo("SKU-" + n);
            assertThat(event.path("metadata").path("shipping_method").asText()).isEqualTo("express");
        }
        ObjectNode company = suite.sandbox().workspace().company(companyId);
        assertThat(company.path("company_id").asText()).isEqualTo(run + "-acme");
        assertThat(company.path("name").asText()).isEqualTo("Acme " + run);
        assertThat(company.path("plan").toString()).contains("enterprise");
        assertThat(company.path("industry").asText()).isEqualTo("Mining");
        assertThat(company.path("size").asLong()).isEqualTo(250);
        assertThat(company.path("monthly_spend").asDouble()).isEqualTo(1200.5);
        assertThat(company.path("custom_attributes").path("region").asText()).isEqualTo("emea");

        // the same calls in the warehouse, as Segment's warehouse schema names them
        await().atMost(PATIENCE).until(() -> count(suite.schema() + ".tracks", "user_id LIKE '" + run + "%'") == 3);
        assertThat(count(suite.schema() + ".identifies", "user_id LIKE '" + run + "%'")).isEqualTo(3);
        assertThat(count(suite.schema() + ".groups", "user_id LIKE '" + run + "%'")).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT event_text FROM " + suite.schema() + ".tracks WHERE user_id = ?",
                String.class, run + "-user-1")).isEqualTo("Order Completed");

        // and the track calls in Amplitude, as events of their own name, once each
        await().atMost(PATIENCE).until(() -> AMPLITUDE.timesIngested(run + "-t3") == 1);
        JsonNode amplitudeEvent = AMPLITUDE.ingested().stream()
                .filter(e -> e.path("insert_id").asText().equals(run + "-t1")).findFirst().orElseThrow();
        assertThat(amplitudeEvent.path("event_type").asText()).isEqualTo("Order Completed");
        assertThat(amplitudeEvent.path("user_id").asText()).isEqualTo(run + "-user-1");
        assertThat(amplitudeEvent.path("event_properties").path("sku").asText()).isEqualTo("SKU-1");
        // identify calls as Amplitude Identify (user properties from the traits), group calls as Amplitude's setGroup
        // (the user in the group) and groupIdentify (the group's properties from the traits)
        await().atMost(PATIENCE).until(() -> AMPLITUDE.timesIngested(run + "-g3-group") == 1);
        JsonNode identify = amplitude(run + "-i1");
        assertThat(identify.path("event_type").asText()).isEqualTo("$identify");
        assertThat(identify.path("user_id").asText()).isEqualTo(run + "-user-1");
        JsonNode userProperties = identify.path("user_properties").path("$set");
        assertThat(userProperties.path("email").asText()).isEqualTo(run + "-user-1@example.com");
        assertThat(userProperties.path("plan_tier").asText()).isEqualTo("pro");
        assertThat(userProperties.path("seats").asInt()).isEqualTo(10);
        JsonNode member = amplitude(run + "-g1");
        assertThat(member.path("event_type").asText()).isEqualTo("$identify");
        assertThat(member.path("user_id").asText()).isEqualTo(run + "-user-1");
        assertThat(member.path("groups").path("company").asText()).isEqualTo(run + "-acme");
        assertThat(member.path("user_properties").path("$set").path("company").asText()).isEqualTo(run + "-acme");
        JsonNode groupIdentify = amplitude(run + "-g1-group");
        assertThat(groupIdentify.path("event_type").asText()).isEqualTo("$groupidentify");
        assertThat(groupIdentify.path("groups").path("company").asText()).isEqualTo(run + "-acme");
        JsonNode groupProperties = groupIdentify.path("group_properties").path("$set");
        assertThat(groupProperties.path("name").asText()).isEqualTo("Acme " + run);
        assertThat(groupProperties.path("plan").asText()).isEqualTo("enterprise");
        assertThat(groupProperties.path("employees").asInt()).isEqualTo(250);
        for (String insertId : List.of("-i1", "-i2", "-i3", "-g1", "-g2", "-g3", "-g1-group", "-g2-group")) {
            assertThat(AMPLITUDE.timesIngested(run + insertId)).as(insertId).isEqualTo(1);
        }

        JsonNode status = get("/sync/status").path("tracking");
        assertThat(status.path("applied").path("identify").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(status.path("received").path("track").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(status.has("inbox_backlog")).isTrue();
        assertThat(status.path("warehouse_backlog").isIntegralNumber()).isTrue();
        // the meters behind /actuator/prometheus (which a @SpringBootTest does not export)
        assertThat(meters.find("hub.tracking.received").tag("type", "identify").counter().count()).isPositive();
        assertThat(meters.find("hub.tracking.applied").tag("type", "track").counter().count()).isPositive();
        assertThat(meters.find("hub.tracking.inbox.backlog").gauge()).isNotNull();
        assertThat(meters.find("hub.tracking.warehouse.backlog").gauge()).isNotNull();
    }

    @Test
    void segmentsJavaClientsPageAndScreenCallsIdentifyTheUserAndSetWhenItWasLastSeen() throws Exception {
        String run = unique();
        Sent sent = new Sent();
        Analytics analytics = segment(WRITE_KEY, sent);
        String visitor = run + "-pager";
        Instant viewed = Instant.parse("2024-06-01T08:30:00Z");
        // a page view of a user Intercom has never seen: the contact from context.traits, seen when the page was
        analytics.enqueue(PageMessage.builder("Pricing").userId(visitor).messageId(run + "-p1")
                .timestamp(Date.from(viewed)).context(Map.of("traits", Map.of("email", visitor + "@example.com",
                        "name", "Page Visitor", "plan_tier", "free"))));
        // a screen view later: the same contact, seen later
        analytics.enqueue(ScreenMessage.builder("Settings").userId(visitor).messageId(run + "-s1")
                .timestamp(Date.from(viewed.plusSeconds(3600))));
        // a page view of an anonymous visitor with no email: nothing to find it by, skipped with the reason
        analytics.enqueue(PageMessage.builder("Home").anonymousId(run + "-nobody").messageId(run + "-p2"));
        analytics.flush();
        await().atMost(PATIENCE).until(() -> sent.succeeded.size() == 3 || !sent.failed.isEmpty());
        assertThat(sent.failed).isEmpty();
        await().atMost(PATIENCE).until(() -> applied(run) == 3);

        ObjectNode contact = contactByUserId(visitor);
        assertThat(contact).isNotNull();
        assertThat(contact.path("role").asText()).isEqualTo("user");
        assertThat(contact.path("email").asText()).isEqualTo(visitor + "@example.com");
        assertThat(contact.path("name").asText()).isEqualTo("Page Visitor");
        assertThat(contact.path("custom_attributes").path("plan_tier").asText()).isEqualTo("free");
        assertThat(contact.path("last_seen_at").asLong()).isEqualTo(viewed.plusSeconds(3600).getEpochSecond());
        assertThat(outcomes(run)).containsExactly("applied", "applied", "skipped");
        assertThat(jdbc.queryForObject("SELECT intercom_id FROM " + inbox() + " WHERE message_id = ?", String.class,
                run + "-s1")).isEqualTo(contact.path("id").asText());
        assertThat(jdbc.queryForObject("SELECT last_error FROM " + inbox() + " WHERE message_id = ?", String.class,
                run + "-p2")).contains("without userId or context.traits.email");
    }

    @Test
    void segmentsJavaClientsAliasMergesTheVisitorsLeadIntoItsUser() throws Exception {
        String run = unique();
        Sent sent = new Sent();
        Analytics analytics = segment(WRITE_KEY, sent);
        // a visitor known by email only is a lead, with an event of its own
        String visitor = run + "-anon";
        analytics.enqueue(IdentifyMessage.builder().anonymousId(visitor).messageId(run + "-1")
                .traits(Map.of("email", run + "-lead@example.com", "utm_source", "ads")));
        analytics.enqueue(TrackMessage.builder("Viewed Pricing").anonymousId(visitor).messageId(run + "-2"));
        // it signs up as a user (another email): the alias says they are one person
        String userId = run + "-member";
        analytics.enqueue(IdentifyMessage.builder().userId(userId).messageId(run + "-3")
                .traits(Map.of("email", userId + "@example.com")));
        analytics.enqueue(AliasMessage.builder(visitor).userId(userId).messageId(run + "-4"));
        // a second visitor aliased before its user is in Intercom: the lead becomes that user, and the identify after
        // it updates the same contact
        String early = run + "-early";
        String lateUser = run + "-signup";
        analytics.enqueue(IdentifyMessage.builder().anonymousId(early).messageId(run + "-5")
                .traits(Map.of("email", run + "-early@example.com")));
        analytics.enqueue(AliasMessage.builder(early).userId(lateUser).messageId(run + "-6"));
        analytics.enqueue(IdentifyMessage.builder().userId(lateUser).messageId(run + "-7")
                .traits(Map.of("name", "Signed Up")));
        // an alias of an id Intercom has no lead for: skipped with the reason, not retried
        analytics.enqueue(AliasMessage.builder(run + "-unknown").userId(userId).messageId(run + "-8"));
        analytics.flush();
        await().atMost(PATIENCE).until(() -> sent.succeeded.size() == 8 || !sent.failed.isEmpty());
        assertThat(sent.failed).isEmpty();
        await().atMost(PATIENCE).until(() -> applied(run) == 8);
        assertThat(outcomes(run)).containsExactly("applied", "applied", "applied", "applied", "applied", "applied",
                "applied", "skipped");
        assertThat(jdbc.queryForObject("SELECT attempts FROM " + inbox() + " WHERE message_id = ?", Integer.class,
                run + "-8")).isZero();

        String leadId = jdbc.queryForObject("SELECT intercom_id FROM " + inbox() + " WHERE message_id = ?",
                String.class, run + "-1");
        ObjectNode user = contactByUserId(userId);
        assertThat(user.path("role").asText()).isEqualTo("user");
        assertThat(user.path("email").asText()).isEqualTo(userId + "@example.com");
        assertThat(user.path("custom_attributes").path("utm_source").asText()).as("the lead's attribute")
                .isEqualTo("ads");
        assertThat(suite.sandbox().workspace().events(user.path("id").asText()))
                .extracting(e -> e.path("event_name").asText()).containsExactly("Viewed Pricing");
        assertThat(suite.sandbox().workspace().contact(leadId)).as("the lead is merged away").isNull();
        assertThat(suite.sandbox().stats().requests("POST /contacts/merge")).isPositive();

        ObjectNode signedUp = contactByUserId(lateUser);
        assertThat(signedUp.path("id").asText()).isEqualTo(jdbc.queryForObject("SELECT intercom_id FROM " + inbox()
                + " WHERE message_id = ?", String.class, run + "-5"));
        assertThat(signedUp.path("role").asText()).isEqualTo("user");
        assertThat(signedUp.path("email").asText()).isEqualTo(run + "-early@example.com");
        assertThat(signedUp.path("name").asText()).isEqualTo("Signed Up");
        assertThat(jdbc.queryForObject("SELECT last_error FROM " + inbox() + " WHERE message_id = ?", String.class,
                run + "-8")).contains("no lead known by previousId").contains(run + "-unknown");
        assertThat(count(suite.schema() + "_hub.dead_letters", "record_id LIKE '" + run + "-%'")).isZero();
    }

    @Test
    void aGroupCallBeforeItsUserIsInIntercomAttachesOnceTheUserIs() throws Exception {
        String run = unique();
        String userId = run + "-late";
        assertThat(post("/v1/group", basic(WRITE_KEY), call("group", userId, run + "-g1")
                .put("groupId", run + "-early-co").set("traits", JSON.createObjectNode().put("name", "Early")))
                .statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> applied(run) == 1);
        String companyId = jdbc.queryForObject("SELECT intercom_id FROM " + inbox() + " WHERE message_id = ?",
                String.class, run + "-g1");
        assertThat(suite.sandbox().workspace().company(companyId).path("company_id").asText())
                .isEqualTo(run + "-early-co");

        assertThat(post("/v1/identify", basic(WRITE_KEY), call("identify", userId, run + "-i1")
                .set("traits", JSON.createObjectNode().put("email", userId + "@example.com"))).statusCode())
                .isEqualTo(200);
        await().atMost(PATIENCE).until(() -> {
            ObjectNode contact = contactByUserId(userId);
            return contact != null && contact.path("companies").path("data").findValuesAsText("id")
                    .contains(companyId);
        });
        assertThat(count(suite.schema() + "_hub.tracking_attachments", null)).isZero();
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aWrongOrMissingWriteKeyIsRefusedWith401AndNothingIsStored() throws Exception {
        String run = unique();
        long before = count(inbox(), null);
        HttpResponse<String> wrongBasic = post("/v1/identify", basic("not-the-key"), call("identify", run + "-u", run + "-1"));
        assertThat(wrongBasic.statusCode()).isEqualTo(401);
        assertThat(wrongBasic.body()).doesNotContain("not-the-key");
        HttpResponse<String> none = post("/v1/track", null, call("track", run + "-u", run + "-2").put("event", "X"));
        assertThat(none.statusCode()).isEqualTo(401);
        HttpResponse<String> wrongBody = post("/v1/batch", null, JSON.createObjectNode().put("writeKey", "nope")
                .set("batch", JSON.createArrayNode().add(call("identify", run + "-u", run + "-3"))));
        assertThat(wrongBody.statusCode()).isEqualTo(401);
        // the right key in the body, as Segment's Java client sends it, is taken
        HttpResponse<String> right = post("/v1/import/", null, JSON.createObjectNode().put("writeKey", WRITE_KEY)
                .set("batch", JSON.createArrayNode().add(call("identify", run + "-u", run + "-4"))));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(JSON.readTree(right.body()).path("success").asBoolean()).isTrue();
        assertThat(count(inbox(), null)).isEqualTo(before + 1);

        Sent sent = new Sent();
        Analytics wrong = segment("wrong-key", sent);
        wrong.enqueue(IdentifyMessage.builder().userId(run + "-segment-wrong"));
        wrong.flush();
        await().atMost(PATIENCE).until(() -> !sent.failed.isEmpty());
        assertThat(sent.succeeded).isEmpty();
        assertThat(count(inbox(), null)).isEqualTo(before + 1);
        assertThat(get("/sync/status").path("tracking").path("rejected").path("wrong_write_key").asLong())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void oversizedMalformedAndAnonymousCallsAreRefusedWith400() throws Exception {
        String run = unique();
        long before = count(inbox(), null);
        ObjectNode big = call("identify", run + "-u", run + "-big");
        big.putObject("traits").put("blob", "x".repeat(33 * 1024));
        assertThat(post("/v1/identify", basic(WRITE_KEY), big).statusCode()).isEqualTo(400);
        // a batch under 500 KB with one call over 32 KB
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("batch").add(call("identify", run + "-u", run + "-ok")).add(big.put("type", "identify"));
        assertThat(post("/v1/batch", basic(WRITE_KEY), batch).statusCode()).isEqualTo(400);
        ObjectNode huge = JSON.createObjectNode();
        for (int i = 0; i < 20; i++) {
            ObjectNode c = call("track", run + "-u", run + "-h" + i).put("event", "E");
            c.putObject("properties").put("blob", "y".repeat(30 * 1024));
            huge.withArray("batch").add(c);
        }
        HttpResponse<String> tooLarge = post("/v1/batch", basic(WRITE_KEY), huge);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("too_large");
        HttpResponse<String> malformed = send("/v1/track", basic(WRITE_KEY), "{\"userId\": \"a\", \"event\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed_json");
        ObjectNode anonymous = JSON.createObjectNode().put("event", "E").put("messageId", run + "-anon");
        HttpResponse<String> noUser = post("/v1/track", basic(WRITE_KEY), anonymous);
        assertThat(noUser.statusCode()).isEqualTo(400);
        assertThat(noUser.body()).contains("no_user");
        assertThat(count(inbox(), null)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ once, in order, through outages

    @Test
    void aBatchSentTwiceIsStoredAndAppliedOnce() throws Exception {
        String run = unique();
        String userId = run + "-twice";
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("batch")
                .add(call("identify", userId, run + "-1").set("traits", JSON.createObjectNode().put("email",
                        userId + "@example.com")))
                .add(call("track", userId, run + "-2").put("event", "Signed In").put("timestamp",
                        "2024-05-01T12:00:00Z"))
                .add(call("track", userId, run + "-3").put("event", "Signed In").put("timestamp",
                        "2024-05-02T12:00:00Z"));
        long eventsBefore = suite.sandbox().stats().requests("POST /events");
        assertThat(post("/v1/batch", basic(WRITE_KEY), batch).statusCode()).isEqualTo(200);
        assertThat(post("/v1/batch", basic(WRITE_KEY), batch).statusCode()).isEqualTo(200);
        assertThat(count(inbox(), "message_id LIKE '" + run + "-%'")).isEqualTo(3);
        await().atMost(PATIENCE).until(() -> applied(run) == 3);
        // a third time after it was applied: still nothing new
        assertThat(post("/v1/import", basic(WRITE_KEY), batch).statusCode()).isEqualTo(200);
        assertThat(count(inbox(), "message_id LIKE '" + run + "-%'")).isEqualTo(3);
        assertThat(suite.sandbox().stats().requests("POST /events") - eventsBefore).isEqualTo(2);
        assertThat(suite.sandbox().workspace().events(contactByUserId(userId).path("id").asText())).hasSize(2);
        assertThat(get("/sync/status").path("tracking").path("duplicates").asLong()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aUsersCallsAreAppliedInTheOrderSentAcrossBatches() throws Exception {
        String run = unique();
        String userId = run + "-ordered";
        // Intercom refuses the identify's writes for a while: the track sent after it must wait for it (sent first,
        // it would find no contact and be refused as "User Not Found")
        suite.sandbox().faults().failNextMatching("/contacts", 6, 503);
        ObjectNode first = JSON.createObjectNode();
        first.putArray("batch").add(call("identify", userId, run + "-1").set("traits",
                JSON.createObjectNode().put("email", userId + "@example.com")));
        ObjectNode second = JSON.createObjectNode();
        second.putArray("batch").add(call("track", userId, run + "-2").put("event", "Trial Started"));
        assertThat(post("/v1/batch", basic(WRITE_KEY), first).statusCode()).isEqualTo(200);
        assertThat(post("/v1/batch", basic(WRITE_KEY), second).statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> applied(run) == 2);
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT message_id, outcome, applied_at, attempts FROM "
                + inbox() + " WHERE message_id LIKE ? ORDER BY seq", run + "-%");
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("applied", "applied");
        assertThat(((Number) rows.get(0).get("attempts")).intValue()).as("the identify was retried").isPositive();
        assertThat(((Number) rows.get(1).get("applied_at")).longValue())
                .isGreaterThanOrEqualTo(((Number) rows.get(0).get("applied_at")).longValue());
        assertThat(suite.sandbox().workspace().events(contactByUserId(userId).path("id").asText()))
                .extracting(e -> e.path("event_name").asText()).containsExactly("Trial Started");
        assertThat(count(suite.schema() + "_hub.dead_letters", "record_id LIKE '" + run + "-%'")).isZero();
    }

    @Test
    void intercomUnavailableForAWhileDeliversEverythingAfterwardsAndNothingTwice() throws Exception {
        String run = unique();
        suite.sandbox().faults().failNext(15, 503);
        Sent sent = new Sent();
        Analytics analytics = segment(WRITE_KEY, sent);
        for (int n = 1; n <= 4; n++) {
            String userId = run + "-down-" + n;
            analytics.enqueue(IdentifyMessage.builder().userId(userId).messageId(run + "-i" + n)
                    .traits(Map.of("email", userId + "@example.com")));
            analytics.enqueue(TrackMessage.builder("Report Viewed").userId(userId).messageId(run + "-t" + n)
                    .properties(Map.of("report", "weekly")));
        }
        analytics.flush();
        await().atMost(PATIENCE).until(() -> sent.succeeded.size() == 8 || !sent.failed.isEmpty());
        assertThat(sent.failed).isEmpty();
        await().atMost(PATIENCE).until(() -> applied(run) == 8);
        assertThat(suite.sandbox().stats().serverErrorResponses()).isPositive();
        for (int n = 1; n <= 4; n++) {
            ObjectNode contact = contactByUserId(run + "-down-" + n);
            assertThat(contact).isNotNull();
            assertThat(suite.sandbox().workspace().events(contact.path("id").asText())).hasSize(1);
        }
        assertThat(count(inbox(), "message_id LIKE '" + run + "-%' AND outcome = 'applied'")).isEqualTo(8);
        assertThat(count(suite.schema() + "_hub.dead_letters", "record_id LIKE '" + run + "-%'")).isZero();
    }

    @Test
    void aCallIntercomRefusesIsDeadLetteredAndReplayable() throws Exception {
        String run = unique();
        String userId = run + "-ghost";
        // a track for a user Intercom has never seen: "User Not Found"
        assertThat(post("/v1/track", basic(WRITE_KEY), call("track", userId, run + "-t").put("event", "Ghost Seen"))
                .statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> count(suite.schema() + "_hub.dead_letters",
                "branch = 'tracking' AND record_id = '" + run + "-t'") == 1);
        JsonNode letters = get("/dead-letters?branch=tracking&collection=tracks");
        assertThat(letters.toString()).contains(run + "-t").contains("User Not Found");

        assertThat(post("/v1/identify", basic(WRITE_KEY), call("identify", userId, run + "-i").set("traits",
                JSON.createObjectNode().put("email", userId + "@example.com"))).statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> contactByUserId(userId) != null);
        HttpResponse<String> replay = send("/dead-letters/replay", null, "{\"branch\":\"tracking\"}");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("delivered").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(count(suite.schema() + "_hub.dead_letters", "record_id = '" + run + "-t'")).isZero();
        assertThat(suite.sandbox().workspace().events(contactByUserId(userId).path("id").asText()))
                .extracting(e -> e.path("event_name").asText()).containsExactly("Ghost Seen");
    }

    // ------------------------------------------------------------------ helpers

    /** Segment's Java client pointed at the hub; callbacks collected. */
    Analytics segment(String writeKey, Sent sent) {
        Analytics analytics = Analytics.builder(writeKey).endpoint("http://127.0.0.1:" + port)
                .flushQueueSize(50).flushInterval(1, TimeUnit.HOURS).retries(3).callback(sent).build();
        clients.add(analytics);
        return analytics;
    }

    static final class Sent implements Callback {
        final ConcurrentLinkedQueue<Message> succeeded = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();

        @Override
        public void success(Message message) {
            succeeded.add(message);
        }

        @Override
        public void failure(Message message, Throwable throwable) {
            failed.add(throwable);
        }
    }

    static String unique() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ObjectNode call(String type, String userId, String messageId) {
        return JSON.createObjectNode().put("type", type).put("userId", userId).put("messageId", messageId);
    }

    /** The contact the sandbox holds with this external_id, read from its store (no search index involved). */
    ObjectNode contactByUserId(String userId) {
        for (String id : suite.sandbox().workspace().contactIds()) {
            ObjectNode contact = suite.sandbox().workspace().contact(id);
            if (contact != null && userId.equals(contact.path("external_id").asText(null))) {
                return contact;
            }
        }
        return null;
    }

    /** The run's calls' outcomes, in the order they were sent. */
    List<String> outcomes(String run) {
        return jdbc.queryForList("SELECT outcome FROM " + inbox() + " WHERE message_id LIKE ? ORDER BY seq",
                String.class, run + "-%");
    }

    /** The one event the Amplitude stub ingested under this insert_id. */
    static JsonNode amplitude(String insertId) {
        return AMPLITUDE.ingested().stream().filter(e -> e.path("insert_id").asText().equals(insertId)).findFirst()
                .orElseThrow(() -> new AssertionError("Amplitude has no event " + insertId));
    }

    long applied(String run) {
        return count(inbox(), "message_id LIKE '" + run + "%' AND applied_at IS NOT NULL");
    }

    String inbox() {
        return suite.schema() + "_hub.tracking_inbox";
    }

    long count(String table, String where) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + (where == null ? "" : " WHERE " + where),
                Long.class);
        return n == null ? 0 : n;
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String authorization, JsonNode body) throws Exception {
        return send(path, authorization, JSON.writeValueAsString(body));
    }

    HttpResponse<String> send(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
