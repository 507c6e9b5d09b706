package org.intercomhub.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.RecordJson;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.webhook.WebhookTopics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Topics and collections as Amplitude events; user id mapping, fallback and drops. */
class AnalyticsMapperTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final AnalyticsMapper byUserId = new AnalyticsMapper(AnalyticsSettings.UserIdField.USER_ID);
    final AnalyticsMapper byEmail = new AnalyticsMapper(AnalyticsSettings.UserIdField.EMAIL);

    /** What the webhook processor produces: the topic map's records, the first carrying its notification. */
    static List<CanonicalRecord> notification(String topic, String id, long createdAt, String item) throws Exception {
        var envelope = JSON.readTree("{\"type\":\"notification_event\",\"id\":\"" + id + "\",\"topic\":\"" + topic
                + "\",\"created_at\":" + createdAt + ",\"data\":{\"item\":" + item + "}}");
        List<CanonicalRecord> records = new WebhookTopics(new RecordMapper()).toRecords(topic, createdAt, envelope);
        return java.util.stream.IntStream.range(0, records.size()).mapToObj(i -> i == 0
                ? records.get(i).withEvent(new CanonicalRecord.Event(WebhookTopics.currentName(topic), id, createdAt))
                : records.get(i)).map(r -> RecordJson.read(RecordJson.write(r))).toList();
    }

    @Test
    void webhookTopicsBecomeIntercomEvents() throws Exception {
        List<CanonicalRecord> records = notification("conversation.user.replied", "notif_1", 1700000000L, """
                {"type":"conversation","id":"77","state":"open","priority":"not_priority","title":"Help",
                 "updated_at":1699999999,"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"c1",
                 "external_id":"user-1001"}]},
                 "conversation_parts":{"type":"conversation_part.list","total_count":1,"conversation_parts":[
                  {"type":"conversation_part","id":"p1","part_type":"comment","body":"hi"}]}}""");
        assertThat(records).hasSize(2); // the conversation and its part: one event
        assertThat(records.stream().filter(byUserId::accepts)).hasSize(1);
        ObjectNode event = byUserId.map(records.get(0)).event();
        assertThat(event.path("event_type").asText()).isEqualTo("[Intercom] conversation.user.replied");
        assertThat(event.path("time").asLong()).isEqualTo(1700000000000L);
        assertThat(event.path("insert_id").asText()).isEqualTo("notif_1");
        assertThat(event.path("user_id").asText()).isEqualTo("user-1001");
        assertThat(event.path("event_properties").path("state").asText()).isEqualTo("open");
        assertThat(event.path("event_properties").path("title").asText()).isEqualTo("Help");
        assertThat(event.path("event_properties").path("intercom_id").asText()).isEqualTo("77");
        assertThat(event.path("event_properties").path("intercom_collection").asText()).isEqualTo("conversations");
    }

    @Test
    void legacyTopicNamesAndDataEvents() throws Exception {
        CanonicalRecord created = notification("user.created", "notif_2", 1700000001L,
                "{\"type\":\"contact\",\"id\":\"c2\",\"role\":\"user\",\"external_id\":\"user-2002\",\"email\":\"b@example.com\"}").get(0);
        assertThat(byUserId.map(created).event().path("event_type").asText()).isEqualTo("[Intercom] contact.user.created");
        CanonicalRecord event = notification("event.created", "notif_3", 1700000002L,
                "{\"type\":\"event\",\"event_name\":\"ordered\",\"created_at\":1700000002,\"user_id\":\"user-3003\","
                        + "\"email\":\"c@example.com\"}").get(0);
        ObjectNode mapped = byEmail.map(event).event();
        assertThat(mapped.path("event_type").asText()).isEqualTo("[Intercom] event.created");
        assertThat(mapped.path("user_id").asText()).isEqualTo("c@example.com");
        assertThat(mapped.path("event_properties").path("event_name").asText()).isEqualTo("ordered");
    }

    @Test
    void pulledContactsBecomeIdentifyAndOtherPulledRecordsAreNotSent() throws Exception {
        CanonicalRecord contact = new RecordMapper().toRecord("contacts", JSON.readTree("""
                {"type":"contact","id":"c9","role":"user","external_id":"user-9009","email":"n@example.com",
                 "name":"Nine","updated_at":1700000100,"location":{"type":"location","city":"Paris","country":"France"},
                 "custom_attributes":{"plan":"pro"}}"""), Source.PULL);
        ObjectNode identify = byUserId.map(RecordJson.read(RecordJson.write(contact))).event();
        assertThat(identify.path("event_type").asText()).isEqualTo("$identify");
        var set = identify.path("user_properties").path("$set");
        assertThat(set.path("email").asText()).isEqualTo("n@example.com");
        assertThat(set.path("name").asText()).isEqualTo("Nine");
        assertThat(set.path("city").asText()).isEqualTo("Paris");
        assertThat(set.path("custom_plan").asText()).isEqualTo("pro");
        assertThat(identify.path("insert_id").asText()).isEqualTo("intercom-identify-c9-1700000100");
        CanonicalRecord conversation = new RecordMapper().toRecord("conversations",
                JSON.readTree("{\"id\":\"5\"}"), Source.PULL);
        assertThat(byUserId.accepts(conversation)).isFalse();
    }

    CanonicalRecord contact(String externalId, String email) {
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("external_id", externalId);
        row.put("email", email);
        return CanonicalRecord.upsert("contacts", "c1", Source.PULL, 1L, row, java.util.Map.of());
    }

    @Test
    void userIdMappingFallbackAndDrops() {
        assertThat(byUserId.userId(contact("user-1", "a@example.com"))).isEqualTo("user-1");
        assertThat(byEmail.userId(contact("user-1", "a@example.com"))).isEqualTo("a@example.com");
        assertThat(byUserId.userId(contact(null, "a@example.com"))).isEqualTo("a@example.com");
        assertThat(byEmail.userId(contact("user-1", null))).isEqualTo("user-1");
        // too short, or on Amplitude's list of refused ids: not sent, the other field is tried
        assertThat(byUserId.userId(contact("42", "a@example.com"))).isEqualTo("a@example.com");
        for (String refused : List.of("null", "none", "0", "-1", "undefined", "nil", "(none)", "(null)",
                "not applicable", "N/A", "lmao", "anonymous", "Unknown")) {
            assertThat(byUserId.userId(contact(refused, null))).as(refused).isNull();
        }
        assertThat(byUserId.map(contact(null, null)).dropReason()).isEqualTo("no valid user_id or email");
        assertThat(byEmail.map(contact("abc", "x@y")).dropReason()).isEqualTo("no valid email or user_id");
    }

    /** The queue keeps only what the branch maps: the same events from it as from the whole records. */
    @Test
    void theQueuedRecordMapsAsTheWholeRecord() throws Exception {
        CanonicalRecord contact = new RecordMapper().toRecord("contacts", JSON.readTree("""
                {"type":"contact","id":"c9","role":"user","external_id":"user-9","email":"nine@example.com",
                 "name":"Nine","updated_at":1700000100,"location":{"type":"location","city":"Paris","country":"France"},
                 "custom_attributes":{"plan":"pro"},"tags":{"type":"list","data":[{"type":"tag","id":"t1","name":"vip"}]},
                 "social_profiles":{"type":"list","data":[{"type":"social_profile","name":"Twitter","url":"https://x.example/9"}]}}"""),
                Source.PULL);
        List<CanonicalRecord> replied = notification("conversation.user.replied", "notif_9", 1700000000L, """
                {"type":"conversation","id":"77","state":"open","title":"Help","updated_at":1699999999,
                 "source":{"type":"conversation","author":{"type":"user","email":"nine@example.com"},"body":"long text"},
                 "contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"c1","external_id":"user-1001"}]}}""");
        // the contact's tags and social profiles stay out
        assertThat(RecordJson.write(byUserId.queued(contact))).doesNotContain("vip", "x.example");
        // a group call of the tracking API: its traits are what its events carry
        CanonicalRecord group = AmplitudeBranchTest.groupCall("g-9", "user-9", "acme");
        assertThat(byUserId.map(byUserId.queued(group)).events().get(1).path("group_properties").path("$set")
                .path("plan").asText()).isEqualTo("gold");
        for (CanonicalRecord whole : List.of(contact, replied.get(0), group)) {
            String queuedJson = RecordJson.write(byUserId.queued(whole));
            CanonicalRecord queued = RecordJson.read(queuedJson);
            assertThat(queued.children()).isEmpty();
            assertThat(queuedJson.length()).isLessThanOrEqualTo(RecordJson.write(whole).length());
            CanonicalRecord read = RecordJson.read(RecordJson.write(whole));
            assertThat(byUserId.map(queued)).isEqualTo(byUserId.map(read));
            assertThat(byEmail.map(queued)).isEqualTo(byEmail.map(read));
        }
    }
}
