package org.intercomhub.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.ItSuite;
import org.intercomhub.SuiteSetup;
import org.intercomhub.record.AttributeColumns;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.intercomhub.pull.SyncTestSupport.count;
import static org.intercomhub.pull.SyncTestSupport.syncAndWait;

/**
 * The pull-to-warehouse behaviour a user relies on, run against a real database by each subclass. The tests build on
 * each other in order: a full sync first, then changes, faults and restarts on top of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SuiteSetup(SyncTestSupport.class)
abstract class WarehouseSyncContract {

    static final List<String> ALL = new PullCatalog().names();

    @Autowired
    SyncTrigger trigger;
    @Autowired
    SyncStatusBoard status;
    @Autowired
    JdbcTemplate jdbc;
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

    long rows(String table) {
        return count(jdbc, schema(), table, null);
    }

    long rows(String table, String where) {
        return count(jdbc, schema(), table, where);
    }

    @Test
    @Order(1)
    void fullSyncEqualsTheSandbox() {
        Map<String, String> states = syncAndWait(trigger, status, ALL.toArray(String[]::new));
        assertThat(states).allSatisfy((collection, state) -> assertThat(state).as(collection).isEqualTo("succeeded"));

        var workspace = sandbox().workspace();
        assertThat(rows("contacts")).isEqualTo(workspace.count("contacts"));
        assertThat(rows("users") + rows("leads")).isEqualTo(workspace.count("contacts"));
        assertThat(rows("companies")).isEqualTo(workspace.count("companies"));
        assertThat(rows("conversations")).isEqualTo(workspace.count("conversations"));
        assertThat(rows("tickets")).isEqualTo(workspace.count("tickets"));
        assertThat(rows("segments")).isEqualTo(workspace.count("segments"));
        assertThat(rows("tags")).isEqualTo(workspace.count("tags"));
        assertThat(rows("admins")).isEqualTo(workspace.count("admins"));
        assertThat(rows("teams")).isEqualTo(workspace.count("teams"));
        assertThat(rows("activity_logs")).isEqualTo(workspace.count("activity_logs"));
        assertThat(rows("data_attributes")).isPositive();
        assertThat(rows("contact_tags")).isPositive();
        assertThat(rows("contact_companies")).isPositive();
        assertThat(rows("company_segments")).isPositive();
        assertThat(rows("conversation_parts")).isPositive();
        assertThat(rows("notes")).isPositive();
        // no duplicate rows anywhere the key is not the id alone
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT contact_id, id FROM " + schema()
                + ".contact_tags GROUP BY contact_id, id HAVING COUNT(*) > 1) d", Long.class)).isZero();

        // field by field, for a sample of contacts
        for (int i = 0; i < 40; i++) {
            String id = workspace.contactIds().get(i * 37 % workspace.count("contacts"));
            JsonNode contact = workspace.contact(id);
            Map<String, Object> row = jdbc.queryForMap("SELECT * FROM " + schema() + ".contacts WHERE id = ?", id);
            assertThat(row.get("email")).as("email of " + id).isEqualTo(text(contact, "email"));
            assertThat(row.get("name")).as("name of " + id).isEqualTo(text(contact, "name"));
            assertThat(row.get("role")).as("role of " + id).isEqualTo(text(contact, "role"));
            assertThat(((Number) row.get("_source_updated_at")).longValue()).isEqualTo(contact.get("updated_at").asLong());
            assertThat(row.get("_deleted")).isIn(false, Boolean.FALSE, 0, (byte) 0);
            assertThat(rows("contact_tags", "contact_id = '" + id + "'"))
                    .as("tags of " + id).isEqualTo(contact.path("tags").path("total_count").asLong());
            assertThat(rows("contact_companies", "contact_id = '" + id + "'"))
                    .as("companies of " + id).isEqualTo(contact.path("companies").path("total_count").asLong());
        }
    }

    @Test
    @Order(2)
    void conversationPartsAreCappedAsIntercomCapsThemAndTheCountIsRecorded() {
        String id = sandbox().workspace().conversationIdWithManyParts();
        Map<String, Object> row = jdbc.queryForMap("SELECT parts_total_count, parts_stored_count FROM " + schema()
                + ".conversations WHERE id = ?", id);
        assertThat(((Number) row.get("parts_total_count")).longValue()).isEqualTo(600);
        assertThat(((Number) row.get("parts_stored_count")).longValue()).isEqualTo(500);
        assertThat(rows("conversation_parts", "conversation_id = '" + id + "'")).isEqualTo(500);
    }

    @Test
    @Order(3)
    void aSecondRunAfterFiftyChangesWritesExactlyThose() {
        Instant before = Instant.now();
        List<String> changed = sandbox().workspace().mutate("contacts", 50);
        assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");

        List<String> written = jdbc.queryForList("SELECT id FROM " + schema() + ".contacts WHERE _synced_at >= ?",
                String.class, java.sql.Timestamp.from(before));
        assertThat(written).containsExactlyInAnyOrderElementsOf(changed);
        for (String id : changed) {
            assertThat(jdbc.queryForObject("SELECT name FROM " + schema() + ".contacts WHERE id = ?", String.class, id))
                    .isEqualTo(text(sandbox().workspace().contact(id), "name"));
        }
    }

    @Test
    @Order(4)
    void changedConversationsAreRefetchedWithTheirPartsAndState() {
        List<String> changed = sandbox().workspace().mutate("conversations", 5);
        assertThat(syncAndWait(trigger, status, "conversations")).containsEntry("conversations", "succeeded");
        for (String id : changed) {
            JsonNode conversation = sandbox().workspace().conversation(id);
            assertThat(jdbc.queryForObject("SELECT state FROM " + schema() + ".conversations WHERE id = ?",
                    String.class, id)).isEqualTo(conversation.get("state").asText());
            assertThat(rows("conversation_parts", "conversation_id = '" + id + "'"))
                    .isEqualTo(Math.min(500, conversation.path("conversation_parts").path("total_count").asLong()));
        }
    }

    @Test
    @Order(5)
    void deletedConversationsAreMarkedNotErased() {
        String id = sandbox().workspace().conversationIds().get(3);
        sandbox().workspace().deleteConversation(id);
        assertThat(syncAndWait(trigger, status, "deleted_conversations"))
                .containsEntry("deleted_conversations", "succeeded");
        assertThat(rows("conversations", "id = '" + id + "' AND _deleted = true")).isEqualTo(1);
        assertThat(rows("conversations", "_deleted = true")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void aNewCustomAttributeAddsAColumnAndHostileNamesStayData() {
        String id = sandbox().workspace().contactIds().get(7);
        sandbox().workspace().setCustomAttribute(id, "favourite_colour", "teal");
        sandbox().workspace().setCustomAttribute(id, "x\"; DROP TABLE contacts; --", "boom");
        assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");

        assertThat(jdbc.queryForObject("SELECT custom_favourite_colour FROM " + schema() + ".contacts WHERE id = ?",
                String.class, id)).isEqualTo("teal");
        assertThat(jdbc.queryForObject("SELECT custom_x_drop_table_contacts FROM " + schema()
                + ".contacts WHERE id = ?", String.class, id)).isEqualTo("boom");
        assertThat(rows("contacts")).isEqualTo(sandbox().workspace().count("contacts"));
        // the JSON copy keeps the original name
        assertThat(jdbc.queryForObject("SELECT custom_attributes FROM " + schema() + ".contacts WHERE id = ?",
                String.class, id)).contains("DROP TABLE contacts");
    }

    @Test
    @Order(6)
    void attributeNamesThatSanitizeAlikeEachKeepTheirOwnColumnAndValue() {
        List<String> names = List.of("plan", "Plan", "名前", "Имя", "x\"; DROP TABLE contacts; --");
        List<String> contacts = sandbox().workspace().contactIds().subList(20, 23);
        for (String id : contacts) {
            for (String name : names) {
                sandbox().workspace().setCustomAttribute(id, name, name + " of " + id);
            }
        }
        assertThat(syncAndWait(trigger, status, "contacts", "data_attributes")).allSatisfy((c, state) ->
                assertThat(state).as(c).isEqualTo("succeeded"));

        // the stored mapping, read as a restarted hub (or another instance) would read it
        AttributeColumns stored = AttributeColumns.stored(jdbc, schema() + "_hub.attribute_columns");
        List<String> columns = names.stream().map(name -> stored.columnFor("contacts", name)).toList();
        assertThat(columns).doesNotHaveDuplicates();
        assertThat(columns.get(0)).isEqualTo("custom_plan"); // the generated attribute came first, in the full sync
        assertThat(columns.get(1)).startsWith("custom_plan_");
        assertThat(columns.get(3)).isEqualTo("custom_imia");
        for (String id : contacts) {
            Map<String, Object> row = jdbc.queryForMap("SELECT * FROM " + schema() + ".contacts WHERE id = ?", id);
            for (int i = 0; i < names.size(); i++) {
                assertThat(row.get(columns.get(i))).as(names.get(i) + " of " + id).isEqualTo(names.get(i) + " of " + id);
            }
        }
        for (int i = 1; i < names.size(); i++) {
            assertThat(jdbc.queryForObject("SELECT warehouse_column FROM " + schema() + ".data_attributes"
                    + " WHERE id = ?", String.class, "contact." + names.get(i))).isEqualTo(columns.get(i));
        }
        // a second sync of the same contacts writes the same columns again: nothing new appears
        List<String> columnsBefore = jdbc.queryForList("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = 'contacts'", String.class, schema());
        sandbox().workspace().setCustomAttribute(contacts.get(0), "Plan", "changed");
        assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");
        assertThat(jdbc.queryForList("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = 'contacts'", String.class, schema()))
                .containsExactlyInAnyOrderElementsOf(columnsBefore);
        assertThat(jdbc.queryForObject("SELECT " + columns.get(1) + " FROM " + schema() + ".contacts WHERE id = ?",
                String.class, contacts.get(0))).isEqualTo("changed");
        assertThat(jdbc.queryForObject("SELECT custom_plan FROM " + schema() + ".contacts WHERE id = ?",
                String.class, contacts.get(0))).isEqualTo("plan of " + contacts.get(0));
    }

    @Test
    @Order(6)
    void contactsDeletedOrMergedBetweenTheirPageAndTheirDetailCallAreSkippedAndCounted() {
        var workspace = sandbox().workspace();
        List<String> ids = workspace.contactIds();
        String withNotes = ids.stream().filter(id -> workspace.contact(id).path("notes").path("total_count").asInt() > 0)
                .findFirst().orElseThrow();
        String withManyTags = ids.stream().filter(id -> workspace.contact(id).path("tags").path("has_more").asBoolean())
                .findFirst().orElseThrow();
        List<String> others = ids.subList(100, 104);
        for (String id : java.util.stream.Stream.concat(Stream.of(withNotes, withManyTags), others.stream()).toList()) {
            workspace.setCustomAttribute(id, "vanish_check", "after " + id);
        }
        // deleted after the search listed it: its notes call answers 404; merged: its tags call answers 410
        sandbox().faults().goneAfterListing(withNotes, false).goneAfterListing(withManyTags, true);
        try {
            assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");
        } finally {
            sandbox().faults().reset();
        }

        assertThat(status.snapshot().get("contacts").skippedVanished())
                .isEqualTo(Map.of("404 not_found", 1L, "410 contact_merged", 1L));
        for (String id : others) {
            assertThat(jdbc.queryForObject("SELECT custom_vanish_check FROM " + schema() + ".contacts WHERE id = ?",
                    String.class, id)).isEqualTo("after " + id);
        }
        for (String gone : List.of(withNotes, withManyTags)) {
            assertThat(jdbc.queryForObject("SELECT custom_vanish_check FROM " + schema() + ".contacts WHERE id = ?",
                    String.class, gone)).as(gone + " was skipped, its row left as it was").isNull();
        }
    }

    @Test
    @Order(7)
    void aFiveHundredStormIsSurvived() {
        sandbox().faults().failNext(3, 503);
        sandbox().faults().dropNext(1);
        assertThat(syncAndWait(trigger, status, "tags", "admins", "teams")).allSatisfy((c, state) ->
                assertThat(state).as(c).isEqualTo("succeeded"));
        assertThat(rows("tags")).isEqualTo(sandbox().workspace().count("tags"));
    }

    @Test
    @Order(8)
    void theScrollIsRestartedWhenIntercomSaysSo() {
        sandbox().faults().failScrollOnce(2);
        assertThat(syncAndWait(trigger, status, "companies")).containsEntry("companies", "succeeded");
        assertThat(rows("companies", "_deleted = false")).isEqualTo(sandbox().workspace().count("companies"));
    }

    @Test
    @Order(9)
    void aStuckScrollFailsLoudlyInsteadOfLooping() {
        long scrollCallsBefore = sandbox().stats().requests("GET /companies/scroll");
        sandbox().faults().stickScroll(true);
        try {
            Map<String, String> states = syncAndWait(trigger, status, "companies");
            assertThat(states.get("companies")).startsWith("failed")
                    .contains("all already read in this listing").contains("repeating pages");
        } finally {
            sandbox().faults().stickScroll(false);
        }
        assertThat(sandbox().stats().requests("GET /companies/scroll") - scrollCallsBefore).isEqualTo(2);
        // a failed full refresh marks nothing as deleted
        assertThat(rows("companies", "_deleted = false")).isEqualTo(sandbox().workspace().count("companies"));
    }

    @Test
    @Order(8)
    void everyPageOfTheScrollComesThroughItsOneParamAndAnUnchangedRefreshDeletesNothing() {
        long scrollCallsBefore = sandbox().stats().requests("GET /companies/scroll");
        assertThat(syncAndWait(trigger, status, "companies")).containsEntry("companies", "succeeded");
        long companies = sandbox().workspace().count("companies");
        // 50 a page, then the empty page that ends the scroll: more than four pages through one scroll_param
        assertThat(sandbox().stats().requests("GET /companies/scroll") - scrollCallsBefore)
                .isEqualTo((companies + 49) / 50 + 1).isGreaterThan(5);
        assertThat(rows("companies")).isEqualTo(companies);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT id) FROM " + schema() + ".companies", Long.class))
                .isEqualTo(companies);
        assertThat(rows("companies", "_deleted = true")).isZero();
    }

    @Test
    @Order(10)
    void aRunKilledMidwayResumesFromItsLastCommittedPageAndEndsEqual() throws Exception {
        List<String> changed = sandbox().workspace().mutate("contacts", 400);
        // the sandbox breaks down for longer than the retries last, after the run has committed two pages
        sandbox().faults().failMatchingAfter("/contacts/search", 2, 1_000, 503);
        Map<String, String> failed = syncAndWait(trigger, status, "contacts");
        assertThat(failed.get("contacts")).startsWith("failed");
        sandbox().faults().reset();
        Checkpoint checkpoint = (Checkpoint) status.snapshot().get("contacts").checkpoint();
        assertThat(checkpoint.cursor()).as("cursor of the last committed page").isNotNull();
        long pagesOfTheQuery = (totalMatching(checkpoint.querySince()) + 149) / 150;
        assertThat(pagesOfTheQuery).isGreaterThan(2);

        long searchesBefore = sandbox().stats().requests("POST /contacts/search");
        assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");
        // resumed, not restarted: only the pages after the two committed ones were read again
        assertThat(sandbox().stats().requests("POST /contacts/search") - searchesBefore)
                .isEqualTo(pagesOfTheQuery - 2);

        assertThat(rows("contacts")).isEqualTo(sandbox().workspace().count("contacts"));
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT id) FROM " + schema() + ".contacts", Long.class))
                .isEqualTo(rows("contacts"));
        for (String id : changed) {
            assertThat(jdbc.queryForObject("SELECT name FROM " + schema() + ".contacts WHERE id = ?", String.class, id))
                    .as(id).isEqualTo(text(sandbox().workspace().contact(id), "name"));
        }
    }

    @Test
    @Order(10)
    void aPageTheWarehouseRefusesFailsTheRunAndTheNextRunWritesItAndWhatFollowed() {
        List<String> changed = sandbox().workspace().mutate("contacts", 400);
        String refused = changed.get(changed.size() / 2);
        // the warehouse refuses one contact's change: its page's transaction fails at the writer
        String stored = jdbc.queryForObject("SELECT name FROM " + schema() + ".contacts WHERE id = ?", String.class,
                refused);
        jdbc.execute("ALTER TABLE " + schema() + ".contacts ADD CONSTRAINT refuse_one CHECK (id <> '" + refused
                + "' OR name " + (stored == null ? "IS NULL" : "= '" + stored.replace("'", "''") + "'") + ")");
        try {
            assertThat(syncAndWait(trigger, status, "contacts").get("contacts")).startsWith("failed");
            assertThat(jdbc.queryForObject("SELECT name FROM " + schema() + ".contacts WHERE id = ?", String.class,
                    refused)).isNotEqualTo(text(sandbox().workspace().contact(refused), "name"));
        } finally {
            jdbc.execute("ALTER TABLE " + schema() + ".contacts DROP CONSTRAINT refuse_one");
        }

        // the next run starts from the page before the refused one: nothing skipped
        assertThat(syncAndWait(trigger, status, "contacts")).containsEntry("contacts", "succeeded");
        for (String id : changed) {
            assertThat(jdbc.queryForObject("SELECT name FROM " + schema() + ".contacts WHERE id = ?", String.class, id))
                    .as(id).isEqualTo(text(sandbox().workspace().contact(id), "name"));
        }
        assertThat(rows("contacts")).isEqualTo(sandbox().workspace().count("contacts"));
    }

    @Test
    @Order(12)
    void theSyncApiReportsStatusStartsRunsAndRefusesASecondOne() throws Exception {
        HttpResponse<String> statusPage = http("GET", "/sync/status");
        assertThat(statusPage.statusCode()).isEqualTo(200);
        JsonNode collections = new ObjectMapper().readTree(statusPage.body()).get("collections");
        assertThat(collections.fieldNames()).toIterable().containsAll(ALL);
        assertThat(collections.get("contacts").get("state").asText()).isEqualTo("succeeded");
        assertThat(collections.get("contacts").get("records").asLong()).isPositive();
        assertThat(collections.get("contacts").get("checkpoint").get("highWater").asLong()).isPositive();

        assertThat(http("POST", "/sync/no_such_collection").statusCode()).isEqualTo(404);
        Instant before = Instant.now();
        sandbox().faults().latencyMillis(1_500); // a run that lasts long enough to be asked for twice
        try {
            assertThat(http("POST", "/sync/tags").statusCode()).isEqualTo(202);
            HttpResponse<String> second = http("POST", "/sync/tags");
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.body()).contains("already being synced");
        } finally {
            sandbox().faults().latencyMillis(0);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            var s = status.of("tags").snapshot(null);
            return s.lastRunEndedAt() != null && !s.lastRunStartedAt().isBefore(before);
        });
        Instant again = Instant.now();
        assertThat(http("POST", "/sync/tags").statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            var s = status.of("tags").snapshot(null);
            return s.lastRunEndedAt() != null && !s.lastRunStartedAt().isBefore(again);
        });
    }

    @Test
    @Order(13)
    void aMissingPermissionFailsThatCollectionWithItsNameAndTheOthersGoOn() {
        // the previous test ends by starting a tags run: let it finish first
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                !status.of("tags").running());
        sandbox().faults().withholdPermission("/tickets");
        try {
            Map<String, String> states = syncAndWait(trigger, status, "tickets", "tags", "admins");
            assertThat(states.get("tickets")).startsWith("failed").contains("Read tickets");
            assertThat(states.get("tags")).isEqualTo("succeeded");
            assertThat(states.get("admins")).isEqualTo("succeeded");
        } finally {
            sandbox().faults().reset();
        }
    }

    private HttpResponse<String> http(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How many contacts the run's search matches, asked of the sandbox directly. */
    private long totalMatching(long since) throws Exception {
        String body = "{\"query\":{\"field\":\"updated_at\",\"operator\":\">\",\"value\":" + since
                + "},\"pagination\":{\"per_page\":1}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create(sandbox().baseUrl() + "/contacts/search"))
                .header("Authorization", "Bearer " + sandbox().config().accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body()).get("total_count").asLong();
    }

    @Test
    @Order(11)
    void aSmallRateBudgetIsUsedWithoutA429() throws InterruptedException {
        sandbox().setRateLimitPer10s(8);
        // the budget changes only with the next 10-second window, as a workspace's would between two app starts
        Thread.sleep(10_000 - System.currentTimeMillis() % 10_000 + 300);
        long throttledBefore = sandbox().stats().rateLimitedResponses();
        try {
            Map<String, String> states = syncAndWait(trigger, status, "segments", "tags", "admins", "teams",
                    "data_attributes", "companies");
            assertThat(states).allSatisfy((c, state) -> assertThat(state).as(c).isEqualTo("succeeded"));
        } finally {
            sandbox().setRateLimitPer10s(0);
        }
        assertThat(sandbox().stats().rateLimitedResponses()).isEqualTo(throttledBefore);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
