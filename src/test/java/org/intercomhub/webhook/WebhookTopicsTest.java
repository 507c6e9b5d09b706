package org.intercomhub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Operation;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.webhook.WebhookTopics.Effect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTopicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebhookTopics topics = new WebhookTopics(new RecordMapper());

    private List<CanonicalRecord> records(String topic, String item) throws Exception {
        JsonNode envelope = JSON.readTree("{\"id\":\"notif_1\",\"topic\":\"" + topic
                + "\",\"created_at\":500,\"data\":{\"type\":\"notification_event_data\",\"item\":" + item + "}}");
        return topics.toRecords(topic, 500L, envelope);
    }

    @Test
    void everyDocumentedTopicHasAnEffectAndLegacyNamesMapToTheirSuccessors() {
        for (String topic : List.of("contact.user.created", "contact.lead.signed_up", "contact.unarchive",
                "contact.merged", "contact.lead.tag.deleted", "company.contact.detached", "conversation.read",
                "conversation.admin.replied.translated", "conversation_part.redacted", "ticket.rating.provided",
                "visitor.signed_up", "event.created", "ping", "admin.logged_in", "content_stat.tour",
                "job.completed", "granular.subscribe", "data_connector.execution.completed",
                "procedure.hitl_notification.created", "call.started", "article.published")) {
            assertThat(WebhookTopics.effectOf(topic)).as(topic).isNotEqualTo(Effect.UNKNOWN);
        }
        assertThat(WebhookTopics.effectOf("user.created")).isEqualTo(Effect.CONTACT_UPSERT);
        assertThat(WebhookTopics.effectOf("user.deleted")).isEqualTo(Effect.CONTACT_DELETE);
        assertThat(WebhookTopics.effectOf("user.tag.deleted")).isEqualTo(Effect.CONTACT_TAG_REMOVE);
        assertThat(WebhookTopics.effectOf("contact.created")).isEqualTo(Effect.CONTACT_UPSERT);
        assertThat(WebhookTopics.effectOf("something.new")).isEqualTo(Effect.UNKNOWN);
    }

    @Test
    void theVersionIsTheItemsUpdatedAtElseTheNotificationsCreatedAt() throws Exception {
        assertThat(records("contact.user.updated", "{\"type\":\"contact\",\"id\":\"c1\",\"updated_at\":100}")
                .get(0).sourceUpdatedAt()).isEqualTo(100L);
        CanonicalRecord deleted = records("contact.deleted", "{\"type\":\"contact\",\"id\":\"c1\"}").get(0);
        assertThat(deleted.op()).isEqualTo(Operation.DELETE);
        assertThat(deleted.sourceUpdatedAt()).isEqualTo(500L);
        assertThat(deleted.source()).isEqualTo(CanonicalRecord.Source.WEBHOOK);
    }

    @Test
    void aDeletedContactKeepsItsOwnIdsForDestinationsKeyedByThem() throws Exception {
        CanonicalRecord deleted = records("contact.deleted", "{\"type\":\"contact\",\"id\":\"c1\","
                + "\"external_id\":\"user-1\",\"email\":\"a@example.com\"}").get(0);
        assertThat(deleted.row()).containsEntry("external_id", "user-1").containsEntry("email", "a@example.com");
        assertThat(deleted.event()).isNull(); // the processor adds the notification
    }

    @Test
    void aMergeDeletesTheMergedAwayContactAndUpsertsTheSurvivor() throws Exception {
        List<CanonicalRecord> merged = records("contact.merged", "{\"type\":\"contact\",\"id\":\"keep\","
                + "\"updated_at\":400,\"merged_from\":{\"type\":\"contact\",\"id\":\"gone\"}}");
        assertThat(merged).extracting(CanonicalRecord::id, CanonicalRecord::op)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gone", Operation.DELETE),
                        org.assertj.core.groups.Tuple.tuple("keep", Operation.UPSERT));
        assertThat(merged.get(1).row()).doesNotContainKey("merged_from");
    }

    @Test
    void aConversationsPartsBecomeSingleRowsAndTheClosedTicketIsUnnested() throws Exception {
        List<CanonicalRecord> conversation = records("conversation.admin.replied", "{\"type\":\"conversation\","
                + "\"id\":\"conv1\",\"updated_at\":300,\"conversation_parts\":{\"type\":\"conversation_part.list\","
                + "\"conversation_parts\":[{\"type\":\"conversation_part\",\"id\":\"p9\",\"body\":\"hi\"}],"
                + "\"total_count\":1}}");
        assertThat(conversation).extracting(CanonicalRecord::collection)
                .containsExactly("conversations", "conversation_parts");
        assertThat(conversation.get(0).children()).isEmpty();
        assertThat(conversation.get(0).row()).doesNotContainKeys("parts_total_count", "parts_stored_count");
        assertThat(conversation.get(1).row()).containsEntry("conversation_id", "conv1").containsEntry("body", "hi");

        CanonicalRecord ticket = records("ticket.closed", "{\"type\":\"ticket_state_change\",\"ticket\":"
                + "{\"type\":\"ticket\",\"id\":\"t1\",\"updated_at\":7}}").get(0);
        assertThat(ticket.collection()).isEqualTo("tickets");
        assertThat(ticket.id()).isEqualTo("t1");
    }

    @Test
    void tagAndAttachmentTopicsChangeOneChildRow() throws Exception {
        CanonicalRecord tag = records("contact.user.tag.deleted", "{\"type\":\"contact_tag\",\"created_at\":450,"
                + "\"tag\":{\"type\":\"tag\",\"id\":\"t1\",\"name\":\"vip\"},\"contact\":{\"type\":\"contact\","
                + "\"id\":\"c1\"}}").get(0);
        assertThat(tag.collection()).isEqualTo("contact_tags");
        assertThat(tag.op()).isEqualTo(Operation.DELETE);
        assertThat(tag.row()).containsEntry("contact_id", "c1");

        CanonicalRecord attached = records("company.contact.attached", "{\"type\":\"contact_company\","
                + "\"company\":{\"type\":\"company\",\"id\":\"co1\",\"company_id\":\"acme\",\"name\":\"Acme\"},"
                + "\"contact\":{\"type\":\"contact\",\"id\":\"c1\"}}").get(0);
        assertThat(attached.collection()).isEqualTo("contact_companies");
        assertThat(attached.id()).isEqualTo("co1");
        assertThat(attached.row()).containsEntry("contact_id", "c1").containsEntry("company_id", "acme");
    }

    @Test
    void pingAndTopicsWithoutATableProduceNoRecords() throws Exception {
        assertThat(records("ping", "{\"type\":\"ping\"}")).isEmpty();
        assertThat(records("admin.away_mode_updated", "{\"type\":\"admin\",\"id\":\"a\"}")).isEmpty();
        assertThat(records("unheard.of", "{}")).isEmpty();
    }
}
