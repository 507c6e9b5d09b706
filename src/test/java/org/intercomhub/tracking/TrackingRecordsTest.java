package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.analytics.AnalyticsMapper;
import org.intercomhub.analytics.AnalyticsSettings;
import org.intercomhub.fanout.RecordJson;
import org.intercomhub.record.CanonicalRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracking calls as warehouse rows (identifies, groups, tracks) and, for tracks, as Amplitude events. */
class TrackingRecordsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static TrackingCall call(String json) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(json);
        return new TrackingCall(body.path("messageId").asText(), body.path("type").asText(), "key", body);
    }

    @Test
    void aTrackIsATracksRowAndAnAmplitudeEventOfItsOwnName() throws Exception {
        CanonicalRecord record = TrackingRecords.of(call("""
                {"type":"track","messageId":"m-1","userId":"user-12345","event":"Order Completed",
                 "timestamp":"2024-01-01T00:00:01.500Z","receivedAt":"2024-01-01T00:00:03Z",
                 "properties":{"revenue":9.5,"sku":"A-1","cart":{"n":2}},"context":{"ip":"1.2.3.4"}}"""));
        assertThat(record.collection()).isEqualTo("tracks");
        assertThat(record.id()).isEqualTo("m-1");
        assertThat(record.source()).isEqualTo(CanonicalRecord.Source.TRACKING);
        assertThat(record.row()).containsEntry("event", "order_completed").containsEntry("event_text", "Order Completed")
                .containsEntry("user_id", "user-12345").containsEntry("timestamp", Instant.parse("2024-01-01T00:00:01.500Z"))
                .containsEntry("received_at", Instant.parse("2024-01-01T00:00:03Z"));

        // as the analytics branch reads it back from its queue
        CanonicalRecord queued = RecordJson.read(RecordJson.write(record));
        AnalyticsMapper amplitude = new AnalyticsMapper(AnalyticsSettings.UserIdField.USER_ID);
        assertThat(amplitude.accepts(queued)).isTrue();
        ObjectNode event = amplitude.map(queued).event();
        assertThat(event.path("event_type").asText()).isEqualTo("Order Completed");
        assertThat(event.path("insert_id").asText()).isEqualTo("m-1");
        assertThat(event.path("user_id").asText()).isEqualTo("user-12345");
        assertThat(event.path("time").asLong()).isEqualTo(1704067201000L);
        assertThat(event.path("event_properties").path("sku").asText()).isEqualTo("A-1");
        assertThat(event.path("event_properties").has("cart")).isFalse();

        // an anonymous track with an email goes to Amplitude under the email
        CanonicalRecord anonymous = RecordJson.read(RecordJson.write(TrackingRecords.of(call("""
                {"type":"track","messageId":"m-2","anonymousId":"anon-1","event":"Viewed",
                 "properties":{"email":"ada@example.com"},"receivedAt":"2024-01-01T00:00:03Z"}"""))));
        assertThat(amplitude.map(anonymous).userId()).isEqualTo("ada@example.com");
    }

    @Test
    void identifiesAndGroupsAreRowsAndAmplitudeIdentifiesAndPagesNothing() throws Exception {
        CanonicalRecord identify = TrackingRecords.of(call("""
                {"type":"identify","messageId":"m-3","userId":"user-1","traits":{"email":"a@example.com",
                 "plan":"pro","seats":3,"gone":null},"receivedAt":"2024-01-01T00:00:03Z"}"""));
        assertThat(identify.collection()).isEqualTo("identifies");
        assertThat(identify.row()).containsEntry("email", "a@example.com").containsKey("traits");
        assertThat(identify.sourceUpdatedAt()).isEqualTo(1704067203L);
        CanonicalRecord group = TrackingRecords.of(call("""
                {"type":"group","messageId":"m-4","userId":"user-1","groupId":42,"traits":{"name":"Acme",
                 "employees":250},"receivedAt":"2024-01-01T00:00:03Z"}"""));
        assertThat(group.collection()).isEqualTo("groups");
        assertThat(group.row()).containsEntry("group_id", "42");

        // as the analytics branch reads them back from its queue: Identify, and Identify with groups + Group Identify
        AnalyticsMapper amplitude = new AnalyticsMapper(AnalyticsSettings.UserIdField.USER_ID, "account");
        CanonicalRecord queuedIdentify = RecordJson.read(RecordJson.write(identify));
        assertThat(amplitude.accepts(queuedIdentify)).isTrue();
        List<ObjectNode> identifyEvents = amplitude.map(queuedIdentify).events();
        assertThat(identifyEvents).hasSize(1);
        ObjectNode userIdentify = identifyEvents.get(0);
        assertThat(userIdentify.path("event_type").asText()).isEqualTo("$identify");
        assertThat(userIdentify.path("user_id").asText()).isEqualTo("user-1");
        assertThat(userIdentify.path("insert_id").asText()).isEqualTo("m-3");
        assertThat(userIdentify.path("user_properties").path("$set").path("plan").asText()).isEqualTo("pro");
        assertThat(userIdentify.path("user_properties").path("$set").path("seats").asInt()).isEqualTo(3);
        assertThat(userIdentify.path("user_properties").path("$set").has("gone")).isFalse();

        CanonicalRecord queuedGroup = RecordJson.read(RecordJson.write(group));
        assertThat(amplitude.accepts(queuedGroup)).isTrue();
        List<ObjectNode> groupEvents = amplitude.map(queuedGroup).events();
        assertThat(groupEvents).extracting(e -> e.path("event_type").asText())
                .containsExactly("$identify", "$groupidentify");
        assertThat(groupEvents.get(0).path("groups").path("account").asText()).isEqualTo("42");
        assertThat(groupEvents.get(0).path("user_properties").path("$set").path("account").asText()).isEqualTo("42");
        assertThat(groupEvents.get(1).path("groups").path("account").asText()).isEqualTo("42");
        assertThat(groupEvents.get(1).path("group_properties").path("$set").path("name").asText()).isEqualTo("Acme");
        assertThat(groupEvents.get(1).path("group_properties").path("$set").path("employees").asInt()).isEqualTo(250);
        assertThat(groupEvents).extracting(e -> e.path("insert_id").asText()).containsExactly("m-4", "m-4-group");

        assertThat(TrackingRecords.of(call("{\"type\":\"page\",\"messageId\":\"m-5\",\"userId\":\"u1\"}"))).isNull();
    }
}
