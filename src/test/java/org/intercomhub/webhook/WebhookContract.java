package org.intercomhub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.SandboxWorkspace;
import org.intercomhub.sandbox.WebhookSender;
import org.intercomhub.sandbox.WebhookSender.Delivery;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Intercom webhooks end to end, against the running app and a real database (one subclass per database): signed
 * notifications in, warehouse rows out. The tests share one warehouse and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(WebhookTestSupport.class)
abstract class WebhookContract {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    SyncTrigger trigger;
    @Autowired
    SyncStatusBoard status;
    @LocalServerPort
    int port;

    @Autowired
    ItSuite suite;

    SandboxServer sandbox() {
        return suite.sandbox();
    }

    String schema() {
        return suite.schema();
    }

    /** The app's settings, to start a second instance on the same schema. */
    Map<String, Object> properties() {
        return suite.properties();
    }

    SandboxWorkspace workspace() {
        return sandbox().workspace();
    }

    WebhookSender sender() {
        return sender(WebhookTestSupport.SECRET);
    }

    WebhookSender sender(String secret) {
        return new WebhookSender(workspace(), "app_test", URI.create("http://127.0.0.1:" + port + "/webhooks/intercom"),
                secret);
    }

    // ---------------------------------------------------------------- topic families

    @Test
    @Order(1)
    void contactNotificationsUpsertContacts() {
        String updated = workspace().mutate("contacts", 1).get(0);
        String created = workspace().contactIds().get(1);
        String visitor = workspace().contactIds().get(2);

        Delivery update = accepted(sender().contact("contact.user.updated", updated));
        // legacy pre-2.5 name, signed with the secret being rotated out
        Delivery legacy = accepted(sender(WebhookTestSupport.OLD_SECRET).contact("user.created", created));
        Delivery signedUp = accepted(sender().contact("visitor.signed_up", visitor));
        awaitProcessed(update, legacy, signedUp);

        for (String id : List.of(updated, created, visitor)) {
            Map<String, Object> row = row("contacts", id);
            JsonNode contact = workspace().contact(id);
            assertThat(row).as(id).containsEntry("name", contact.get("name").asText())
                    .containsEntry("email", contact.get("email").asText())
                    .containsEntry("_source", "webhook").containsEntry("_deleted", false);
            assertThat(((Number) row.get("_source_updated_at")).longValue()).isEqualTo(contact.get("updated_at").asLong());
        }
    }

    @Test
    @Order(2)
    void contactDeletionArchiveMergeAndTags() {
        List<String> ids = workspace().contactIds();
        String deleted = ids.get(10);
        String archived = ids.get(11);
        String survivor = ids.get(12);
        String mergedAway = ids.get(13);
        String tagged = ids.get(14);
        awaitProcessed(accepted(sender().contact("contact.user.updated", deleted)),
                accepted(sender().contact("contact.user.updated", archived)),
                accepted(sender().contact("contact.lead.updated", mergedAway)),
                accepted(sender().contact("contact.user.updated", tagged)));
        long tagsBefore = rows("contact_tags", "contact_id = '" + tagged + "'");

        ObjectNode merged = workspace().contact(survivor);
        merged.putObject("merged_from").put("type", "contact").put("id", mergedAway);
        awaitProcessed(accepted(sender().deleted("contact.deleted", "contact", deleted)),
                accepted(sender().send("contact.archived", JSON.createObjectNode().put("type", "contact")
                        .put("id", archived).put("archived", true))),
                accepted(sender().send("contact.merged", merged)),
                accepted(sender().contactTag("contact.user.tag.created", tagged, "tag_webhook", "from a webhook")));

        assertThat(row("contacts", deleted)).containsEntry("_deleted", true);
        assertThat(row("contacts", archived)).containsEntry("_deleted", true).containsEntry("archived", true);
        assertThat(row("contacts", mergedAway)).containsEntry("_deleted", true);
        assertThat(row("contacts", survivor)).containsEntry("_deleted", false).containsEntry("_source", "webhook");
        assertThat(rows("contact_tags", "contact_id = '" + tagged + "'")).isEqualTo(tagsBefore + 1);
        assertThat(jdbc.queryForObject("SELECT name FROM " + table("contact_tags") + " WHERE contact_id = ? AND id = ?",
                String.class, tagged, "tag_webhook")).isEqualTo("from a webhook");

        awaitProcessed(accepted(sender().send("contact.unarchive", JSON.createObjectNode().put("type", "contact")
                        .put("id", archived).put("archived", false))),
                accepted(sender().contactTag("contact.user.tag.deleted", tagged, "tag_webhook", "from a webhook")));
        assertThat(row("contacts", archived)).containsEntry("_deleted", false).containsEntry("archived", false);
        assertThat(rows("contact_tags", "contact_id = '" + tagged + "'")).isEqualTo(tagsBefore);
    }

    @Test
    @Order(3)
    void companyConversationTicketAndEventNotifications() {
        String company = workspace().mutate("companies", 1).get(0);
        String contact = workspace().contactIds().get(20);
        String conversation = workspace().conversationIds().get(0);
        String ticket = workspace().ticketIds().get(0);
        String closedTicket = workspace().ticketIds().get(1);
        ObjectNode event = JSON.createObjectNode().put("type", "event").put("event_name", "ordered-pizza")
                .put("created_at", workspace().nowEpochSecond()).put("user_id", "u-1").put("email", "a@example.com")
                .put("intercom_user_id", contact);
        event.putObject("metadata").put("size", "large");
        ObjectNode closed = JSON.createObjectNode().put("type", "ticket_state_change");
        closed.set("ticket", workspace().ticket(closedTicket));

        Delivery eventDelivery = accepted(sender().send("event.created", event));
        awaitProcessed(accepted(sender().company("company.updated", company)),
                accepted(sender().companyContact("company.contact.attached", company, contact)),
                accepted(sender().conversation("conversation.admin.replied", conversation)),
                accepted(sender().ticket("ticket.created", ticket)),
                accepted(sender().send("ticket.closed", closed)),
                eventDelivery);

        assertThat(row("companies", company)).containsEntry("name", workspace().company(company).get("name").asText())
                .containsEntry("_source", "webhook");
        assertThat(rows("contact_companies", "contact_id = '" + contact + "' AND id = '" + company + "'"))
                .isEqualTo(1);
        assertThat(row("conversations", conversation)).containsEntry("_source", "webhook");
        int parts = workspace().conversation(conversation).path("conversation_parts").path("conversation_parts").size();
        assertThat(rows("conversation_parts", "conversation_id = '" + conversation + "'")).isEqualTo(parts);
        assertThat(row("tickets", ticket)).containsEntry("_source", "webhook");
        assertThat(row("tickets", closedTicket)).containsEntry("_source", "webhook");
        assertThat(row("events", eventDelivery.id())).containsEntry("event_name", "ordered-pizza")
                .containsEntry("intercom_user_id", contact);

        // a conversation notification carrying only its newest part adds to the stored parts, never replaces them
        ObjectNode newest = workspace().conversation(conversation);
        ArrayNode partList = (ArrayNode) newest.path("conversation_parts").path("conversation_parts");
        ObjectNode newPart = ((ObjectNode) partList.get(partList.size() - 1).deepCopy()).put("id", "part_from_webhook")
                .put("body", "a new reply");
        partList.removeAll().add(newPart);
        ((ObjectNode) newest.get("conversation_parts")).put("total_count", 1);
        awaitProcessed(accepted(sender().send("conversation.user.replied", newest)),
                accepted(sender().companyContact("company.contact.detached", company, contact)));
        assertThat(rows("conversation_parts", "conversation_id = '" + conversation + "'")).isEqualTo(parts + 1);
        assertThat(rows("contact_companies", "contact_id = '" + contact + "' AND id = '" + company + "'")).isZero();

        awaitProcessed(accepted(sender().deleted("conversation.deleted", "conversation", conversation)),
                accepted(sender().deleted("company.deleted", "company", company)));
        assertThat(row("conversations", conversation)).containsEntry("_deleted", true);
        assertThat(row("companies", company)).containsEntry("_deleted", true);
    }

    @Test
    @Order(4)
    void pingAndTopicsWithoutATableAreAcknowledgedAndStored() {
        Map<String, Long> before = warehouseCounts();
        Delivery ping = accepted(sender().send("ping", JSON.createObjectNode().put("type", "ping")
                .put("message", "something something interzen")));
        Delivery admin = accepted(sender().send("admin.logged_in", JSON.createObjectNode().put("type", "admin")
                .put("id", "admin_1")));
        Delivery unknown = accepted(sender().send("brand_new.topic", JSON.createObjectNode().put("type", "thing")
                .put("id", "x")));
        awaitProcessed(ping, admin, unknown);
        assertThat(warehouseCounts()).isEqualTo(before);
        assertThat(webhookStatus().path("unknown_topics").path("brand_new.topic").asLong()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- refused input

    @Test
    @Order(5)
    void badInputIsRefusedAndStoresNothing() {
        WebhookSender sender = sender();
        String contact = workspace().contactIds().get(30);
        byte[] body = sender.envelope("notif_bad_input", "contact.user.updated", workspace().contact(contact),
                workspace().nowEpochSecond(), workspace().nowEpochSecond(), 1);
        byte[] malformed = "{\"id\": \"notif_malformed\", \"topic\": ".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = new byte[70_000];
        java.util.Arrays.fill(oversized, (byte) ' ');
        System.arraycopy(body, 0, oversized, 0, body.length);
        long inbox = inboxRows();
        Map<String, Long> warehouse = warehouseCounts();

        assertThat(sender.post(body, "sha1=" + "0".repeat(40), "application/json").statusCode()).isEqualTo(401);
        assertThat(sender.post(body, null, "application/json").statusCode()).isEqualTo(401);
        assertThat(sender(" wrong secret").post(body, sender(" wrong secret").signature(body), "application/json")
                .statusCode()).isEqualTo(401);
        // signed correctly over other bytes: one changed byte breaks it
        byte[] tampered = body.clone();
        tampered[tampered.length - 2] ^= 1;
        assertThat(sender.post(tampered, sender.signature(body), "application/json").statusCode()).isEqualTo(401);
        assertThat(sender.post(malformed, sender.signature(malformed), "application/json").statusCode()).isEqualTo(400);
        assertThat(sender.post(oversized, sender.signature(oversized), "application/json").statusCode()).isEqualTo(413);
        assertThat(sender.post(body, sender.signature(body), "text/plain").statusCode()).isEqualTo(415);
        assertThat(sender.post(body, sender.signature(body), null).statusCode()).isEqualTo(415);

        assertThat(inboxRows()).isEqualTo(inbox);
        // a notification processed after the refusals shows they left nothing behind to process
        awaitProcessed(accepted(sender.contact("contact.user.updated", workspace().contactIds().get(1))));
        Map<String, Long> after = warehouseCounts();
        assertThat(after).isEqualTo(warehouse);
        assertThat(row("contacts", contact)).isNull();
        JsonNode rejected = webhookStatus().path("rejected");
        assertThat(rejected.path("bad_signature").asLong()).isEqualTo(3);
        assertThat(rejected.path("missing_signature").asLong()).isEqualTo(1);
        assertThat(rejected.path("malformed_json").asLong()).isEqualTo(1);
        assertThat(rejected.path("too_large").asLong()).isEqualTo(1);
        assertThat(rejected.path("unsupported_media_type").asLong()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- exactly once in effect

    @Test
    @Order(6)
    void aRedeliveredNotificationIsAcknowledgedAndProcessedOnce() {
        String contact = workspace().mutate("contacts", 1).get(0);
        Delivery first = accepted(sender().contact("contact.user.updated", contact));
        awaitProcessed(first);
        Object syncedAt = row("contacts", contact).get("_synced_at");
        long duplicatesBefore = webhookStatus().path("duplicates").asLong();

        Delivery again = accepted(sender().redeliver(first));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.response()).contains("duplicate");
        // once a later notification is processed, the redelivery would have been too
        awaitProcessed(accepted(sender().contact("contact.user.updated", workspace().contactIds().get(40))));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + inbox() + " WHERE notification_id = ?", Long.class,
                first.id())).isEqualTo(1);
        assertThat(row("contacts", contact).get("_synced_at")).isEqualTo(syncedAt);
        assertThat(webhookStatus().path("duplicates").asLong()).isEqualTo(duplicatesBefore + 1);
    }

    @Test
    @Order(7)
    void anOlderUpdateAfterANewerOneChangesNothing() {
        String contact = workspace().contactIds().get(50);
        ObjectNode newer = workspace().contact(contact);
        // ahead of the sandbox's clock, so that a deletion notified now is older too
        long updatedAt = workspace().nowEpochSecond() + 1000;
        newer.put("name", "Newer Name").put("updated_at", updatedAt + 100);
        ObjectNode older = workspace().contact(contact);
        older.put("name", "Older Name").put("updated_at", updatedAt + 50);

        awaitProcessed(accepted(sender().send("contact.user.updated", newer)));
        Map<String, Object> before = row("contacts", contact);
        awaitProcessed(accepted(sender().send("contact.user.updated", older)),
                accepted(sender().deleted("contact.deleted", "contact", contact)), // created_at: now, older still
                accepted(sender().contactTag("contact.user.tag.deleted", contact, "not-there", "x")));
        Map<String, Object> after = row("contacts", contact);

        assertThat(after).containsEntry("name", "Newer Name").containsEntry("_deleted", false);
        assertThat(after).isEqualTo(before);
    }

    // ---------------------------------------------------------------- crash after the 200

    @Test
    @Order(8)
    void acknowledgedNotificationsAreProcessedByTheNextStart() throws Exception {
        String contact = workspace().mutate("contacts", 1).get(0);
        camel.getRouteController().stopRoute("webhook-process");
        try {
            Delivery delivery = accepted(sender().contact("contact.user.updated", contact));
            assertThat(processedAt(delivery.id())).isNull();
            assertThat(webhookStatus().path("inbox_backlog").asLong()).isEqualTo(1);
            Map<String, Object> before = row("contacts", contact);
            assertThat(before == null ? null : before.get("_source_updated_at"))
                    .isNotEqualTo(workspace().contact(contact).get("updated_at").asLong());

            String[] args = properties().entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(IntercomHubApplication.class)
                    .run(args)) {
                awaitProcessed(delivery);
            }
            assertThat(row("contacts", contact)).containsEntry("name",
                    workspace().contact(contact).get("name").asText()).containsEntry("_source", "webhook");
        } finally {
            camel.getRouteController().startRoute("webhook-process");
        }
    }

    // ---------------------------------------------------------------- reconciliation with the pull

    @Test
    @Order(9)
    void aWebhookAndAPullOfTheSameRecordAgree() {
        List<String> crowded = new java.util.ArrayList<>(workspace().contactIdsWithManyTags());
        crowded.addAll(workspace().contactIdsWithManyCompanies());
        String contact = workspace().contactIds().stream().skip(60).filter(id -> !crowded.contains(id))
                .findFirst().orElseThrow();
        workspace().setCustomAttribute(contact, "plan_tier", "gold");

        pull("contacts");
        Map<String, Object> pulled = row("contacts", contact);
        assertThat(pulled).containsEntry("_source", "pull");
        List<Map<String, Object>> pulledTags = childRows("contact_tags", contact);

        // the same version again, by webhook: it replaces the pulled row (a tie) with identical values
        awaitProcessed(accepted(sender().contact("contact.user.updated", contact)));
        Map<String, Object> fromWebhook = row("contacts", contact);
        assertThat(fromWebhook).containsEntry("_source", "webhook").containsEntry("custom_plan_tier", "gold");
        assertThat(comparable(fromWebhook)).isEqualTo(comparable(pulled));
        assertThat(childRows("contact_tags", contact)).isEqualTo(pulledTags);
    }

    @Test
    @Order(10)
    void statusShowsWebhookCounts() {
        JsonNode webhooks = webhookStatus();
        assertThat(webhooks.path("received").path("contact.user.updated").asLong()).isPositive();
        assertThat(webhooks.path("received").path("user.created").asLong()).isEqualTo(1);
        assertThat(webhooks.path("last_received_at").asText()).isNotBlank();
        assertThat(webhooks.path("rejected").path("bad_signature").asLong()).isEqualTo(3);
        assertThat(webhooks.path("duplicates").asLong()).isEqualTo(1);
        assertThat(webhooks.path("inbox_backlog").asLong()).isZero();
        assertThat(webhooks.has("unknown_topics")).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    static Delivery accepted(Delivery delivery) {
        assertThat(delivery.status()).as(delivery.topic() + ": " + delivery.response()).isEqualTo(200);
        return delivery;
    }

    void awaitProcessed(Delivery... deliveries) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25)).until(() -> {
            for (Delivery delivery : deliveries) {
                if (processedAt(delivery.id()) == null) {
                    return false;
                }
            }
            return true;
        });
    }

    Long processedAt(String notificationId) {
        List<Long> processed = jdbc.queryForList("SELECT processed_at FROM " + inbox() + " WHERE notification_id = ?",
                Long.class, notificationId);
        assertThat(processed).as("inbox row of " + notificationId).hasSize(1);
        return processed.get(0);
    }

    String inbox() {
        return schema() + "_hub.webhook_inbox";
    }

    String table(String name) {
        return schema() + "." + name;
    }

    long inboxRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + inbox(), Long.class);
    }

    long rows(String table, String where) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table(table) + " WHERE " + where, Long.class);
    }

    Map<String, Object> row(String table, String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM " + table(table) + " WHERE id = ?", id);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        rows.get(0).forEach((column, value) -> row.put(column.toLowerCase(), value));
        return row;
    }

    List<Map<String, Object>> childRows(String table, String contactId) {
        return jdbc.queryForList("SELECT * FROM " + table(table) + " WHERE contact_id = ? ORDER BY id", contactId)
                .stream().map(WebhookContract::comparable).toList();
    }

    /** A row without the columns that say when and how it was written. */
    static Map<String, Object> comparable(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            String name = column.toLowerCase();
            if (!name.equals("_synced_at") && !name.equals("_source")) {
                values.put(name, value);
            }
        });
        return values;
    }

    Map<String, Long> warehouseCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("contacts", "companies", "conversations", "conversation_parts", "tickets",
                "events", "contact_tags", "contact_companies")) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table(table), Long.class));
        }
        counts.put("contacts_deleted", rows("contacts", "_deleted = true"));
        return counts;
    }

    JsonNode webhookStatus() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/sync/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return JSON.readTree(response.body()).path("webhooks");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void pull(String collection) {
        Instant triggeredAt = Instant.now();
        assertThat(trigger.trigger(collection)).isEqualTo(SyncTrigger.Outcome.STARTED);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            CollectionStatus.Snapshot s = status.of(collection).snapshot(null);
            return s.lastRunStartedAt() != null && !s.lastRunStartedAt().isBefore(triggeredAt)
                    && s.lastRunEndedAt() != null;
        });
        assertThat(status.of(collection).snapshot(null).state()).isEqualTo("succeeded");
    }
}
