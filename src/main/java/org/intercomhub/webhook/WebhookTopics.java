package org.intercomhub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Operation;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.record.RecordMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each Intercom webhook topic does to the warehouse: the topic map. Items go through the same
 * {@link RecordMapper} as pulled ones, with {@link Source#WEBHOOK}. A record's version ({@code sourceUpdatedAt}) is
 * its item's {@code updated_at}, else the notification's {@code created_at}, so an older notification never
 * overwrites a newer row.
 */
public class WebhookTopics {

    /** What a topic does. */
    public enum Effect {
        CONTACT_UPSERT, CONTACT_DELETE, CONTACT_ARCHIVE, CONTACT_UNARCHIVE, CONTACT_MERGE, CONTACT_TAG_ADD,
        CONTACT_TAG_REMOVE, COMPANY_UPSERT, COMPANY_DELETE, COMPANY_CONTACT_ATTACH, COMPANY_CONTACT_DETACH,
        CONVERSATION_UPSERT, CONVERSATION_DELETE, TICKET_UPSERT, EVENT_INSERT,
        /** {@code ping}, and topics with no warehouse table (admins, articles, calls, content stats, jobs ...). */
        ACKNOWLEDGED_ONLY,
        /** Not a topic this hub knows: acknowledged, kept in the inbox, counted, logged once. */
        UNKNOWN
    }

    /** Topic names before API 2.5, and what they are called now. */
    static final Map<String, String> LEGACY_NAMES = Map.of(
            "user.created", "contact.user.created",
            "user.deleted", "contact.deleted",
            "user.email.updated", "contact.email.updated",
            "contact.created", "contact.lead.created",
            "contact.signed_up", "contact.lead.signed_up",
            "contact.added_email", "contact.lead.added_email",
            "user.tag.created", "contact.user.tag.created",
            "user.tag.deleted", "contact.user.tag.deleted",
            "user.unsubscribed", "contact.unsubscribed",
            "user.unsubscribed_from_sms", "contact.unsubscribed_from_sms");

    private static final Map<String, Effect> EXACT = new LinkedHashMap<>();
    /** Topic families with no warehouse table: stored in the inbox and counted only. */
    static final List<String> ACKNOWLEDGED_ONLY_PREFIXES = List.of("admin.", "article.", "audience.", "call.",
            "content_import_source.", "content_snippet.", "content_stat.", "api.", "job.", "granular.",
            "data_connector.", "procedure.");

    static {
        for (String topic : List.of("contact.user.created", "contact.user.updated", "contact.lead.created",
                "contact.lead.updated", "contact.email.updated", "contact.subscribed", "contact.unsubscribed",
                "contact.unsubscribed_from_sms", "contact.lead.signed_up", "contact.lead.added_email",
                "visitor.signed_up")) {
            EXACT.put(topic, Effect.CONTACT_UPSERT);
        }
        EXACT.put("contact.deleted", Effect.CONTACT_DELETE);
        EXACT.put("contact.archived", Effect.CONTACT_ARCHIVE);
        EXACT.put("contact.unarchive", Effect.CONTACT_UNARCHIVE);
        EXACT.put("contact.merged", Effect.CONTACT_MERGE);
        EXACT.put("contact.user.tag.created", Effect.CONTACT_TAG_ADD);
        EXACT.put("contact.lead.tag.created", Effect.CONTACT_TAG_ADD);
        EXACT.put("contact.user.tag.deleted", Effect.CONTACT_TAG_REMOVE);
        EXACT.put("contact.lead.tag.deleted", Effect.CONTACT_TAG_REMOVE);
        EXACT.put("company.created", Effect.COMPANY_UPSERT);
        EXACT.put("company.updated", Effect.COMPANY_UPSERT);
        EXACT.put("company.deleted", Effect.COMPANY_DELETE);
        EXACT.put("company.contact.attached", Effect.COMPANY_CONTACT_ATTACH);
        EXACT.put("company.contact.detached", Effect.COMPANY_CONTACT_DETACH);
        EXACT.put("conversation.deleted", Effect.CONVERSATION_DELETE);
        EXACT.put("event.created", Effect.EVENT_INSERT);
        EXACT.put("ping", Effect.ACKNOWLEDGED_ONLY);
    }

    private static final Set<String> NOT_COLUMNS_FROM_WEBHOOK_CONVERSATIONS =
            Set.of("parts_total_count", "parts_stored_count");

    private final RecordMapper mapper;

    public WebhookTopics(RecordMapper mapper) {
        this.mapper = mapper;
    }

    public static String currentName(String topic) {
        return LEGACY_NAMES.getOrDefault(topic, topic);
    }

    public static Effect effectOf(String topic) {
        String name = currentName(topic);
        Effect effect = EXACT.get(name);
        if (effect != null) {
            return effect;
        }
        if (name.startsWith("conversation.") || name.startsWith("conversation_part.")) {
            return Effect.CONVERSATION_UPSERT;
        }
        if (name.startsWith("ticket.")) {
            return Effect.TICKET_UPSERT;
        }
        for (String prefix : ACKNOWLEDGED_ONLY_PREFIXES) {
            if (name.startsWith(prefix)) {
                return Effect.ACKNOWLEDGED_ONLY;
            }
        }
        return Effect.UNKNOWN;
    }

    /** The records a notification stands for; empty for topics without a warehouse effect. */
    public List<CanonicalRecord> toRecords(String topic, Long notificationCreatedAt, JsonNode envelope) {
        JsonNode item = envelope.path("data").path("item");
        Effect effect = effectOf(topic);
        if (effect == Effect.ACKNOWLEDGED_ONLY || effect == Effect.UNKNOWN) {
            return List.of();
        }
        if (!item.isObject()) {
            throw new IllegalArgumentException(topic + " notification without data.item");
        }
        return switch (effect) {
            case CONTACT_UPSERT -> List.of(upsert("contacts", item, notificationCreatedAt));
            case CONTACT_DELETE -> List.of(delete("contacts", item, notificationCreatedAt, contactKeys(item)));
            case CONTACT_ARCHIVE -> List.of(delete("contacts", item, notificationCreatedAt, Map.of("archived", true)));
            case CONTACT_UNARCHIVE -> List.of(withArchived(upsert("contacts", item, notificationCreatedAt)));
            case CONTACT_MERGE -> merge(item, notificationCreatedAt);
            case CONTACT_TAG_ADD, CONTACT_TAG_REMOVE -> List.of(contactTag(item, notificationCreatedAt,
                    effect == Effect.CONTACT_TAG_ADD ? Operation.UPSERT : Operation.DELETE));
            case COMPANY_UPSERT -> List.of(upsert("companies", item, notificationCreatedAt));
            case COMPANY_DELETE -> List.of(delete("companies", item, notificationCreatedAt, Map.of()));
            case COMPANY_CONTACT_ATTACH, COMPANY_CONTACT_DETACH -> List.of(contactCompany(item, notificationCreatedAt,
                    effect == Effect.COMPANY_CONTACT_ATTACH ? Operation.UPSERT : Operation.DELETE));
            case CONVERSATION_UPSERT -> conversation(item, notificationCreatedAt);
            case CONVERSATION_DELETE -> List.of(delete("conversations", item, notificationCreatedAt, Map.of()));
            case TICKET_UPSERT -> List.of(upsert("tickets", ticketOf(item), notificationCreatedAt));
            case EVENT_INSERT -> List.of(event(item, envelope, notificationCreatedAt));
            case ACKNOWLEDGED_ONLY, UNKNOWN -> List.of();
        };
    }

    private CanonicalRecord upsert(String table, JsonNode item, Long notificationCreatedAt) {
        CanonicalRecord mapped = mapper.toRecord(table, item, Source.WEBHOOK);
        return versioned(mapped, version(item, notificationCreatedAt));
    }

    private static CanonicalRecord delete(String table, JsonNode item, Long notificationCreatedAt,
                                          Map<String, Object> row) {
        String id = requiredId(item, table);
        return new CanonicalRecord(table, id, Operation.DELETE, Source.WEBHOOK, version(item, notificationCreatedAt),
                row, Map.of());
    }

    /** A deleted contact's own ids (user id, email), so destinations keyed by them can delete it too. */
    private static Map<String, Object> contactKeys(JsonNode item) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String key : List.of("external_id", "email")) {
            if (item.hasNonNull(key) && !item.get(key).asText().isBlank()) {
                row.put(key, item.get(key).asText());
            }
        }
        return row;
    }

    /** Unarchiving brings the contact back: not deleted, no longer archived. */
    private static CanonicalRecord withArchived(CanonicalRecord contact) {
        Map<String, Object> row = new LinkedHashMap<>(contact.row());
        row.put("archived", false);
        return new CanonicalRecord(contact.collection(), contact.id(), contact.op(), contact.source(),
                contact.sourceUpdatedAt(), row, contact.children());
    }

    /** The item is the surviving contact; {@code merged_from} names the one merged away. */
    private List<CanonicalRecord> merge(JsonNode item, Long notificationCreatedAt) {
        List<CanonicalRecord> records = new ArrayList<>(2);
        JsonNode mergedFrom = item.path("merged_from");
        if (mergedFrom.hasNonNull("id")) {
            records.add(new CanonicalRecord("contacts", mergedFrom.get("id").asText(), Operation.DELETE,
                    Source.WEBHOOK, notificationCreatedAt, Map.of(), Map.of()));
        }
        ObjectNode survivor = ((ObjectNode) item).deepCopy();
        survivor.remove("merged_from");
        records.add(upsert("contacts", survivor, notificationCreatedAt));
        return records;
    }

    /** {@code {type:"contact_tag", created_at, tag{...}, contact{...}}}: one contact_tags row. */
    private static CanonicalRecord contactTag(JsonNode item, Long notificationCreatedAt, Operation op) {
        JsonNode tag = item.path("tag");
        String contactId = requiredId(item.path("contact"), "contact of a contact_tag");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("contact_id", contactId);
        if (tag.hasNonNull("name")) {
            row.put("name", tag.get("name").asText());
        }
        Long appliedAt = epochSeconds(item.get("created_at"));
        if (appliedAt != null) {
            row.put("applied_at", Instant.ofEpochSecond(appliedAt));
        }
        return new CanonicalRecord("contact_tags", requiredId(tag, "tag of a contact_tag"), op, Source.WEBHOOK,
                notificationCreatedAt != null ? notificationCreatedAt : appliedAt, row, Map.of());
    }

    /** {@code {company{...}, contact{...}}}: one contact_companies row. */
    private static CanonicalRecord contactCompany(JsonNode item, Long notificationCreatedAt, Operation op) {
        JsonNode company = item.path("company");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("contact_id", requiredId(item.path("contact"), "contact of a company attachment"));
        if (company.hasNonNull("company_id")) {
            row.put("company_id", company.get("company_id").asText());
        }
        if (company.hasNonNull("name")) {
            row.put("name", company.get("name").asText());
        }
        return new CanonicalRecord("contact_companies", requiredId(company, "company of a company attachment"), op,
                Source.WEBHOOK, notificationCreatedAt, row, Map.of());
    }

    /**
     * The conversation's row, and each part it carries as a row of its own: a webhook conversation holds only its
     * newest parts, so the stored part set is added to, never replaced.
     */
    private List<CanonicalRecord> conversation(JsonNode item, Long notificationCreatedAt) {
        if ("conversation_part".equals(item.path("type").asText()) && item.hasNonNull("conversation_id")) {
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
            wrapper.put("id", item.get("conversation_id").asText());
            wrapper.putObject("conversation_parts").putArray("conversation_parts").add(item);
            return partRows(mapper.toRecord("conversations", wrapper, Source.WEBHOOK),
                    version(item, notificationCreatedAt));
        }
        Long version = version(item, notificationCreatedAt);
        CanonicalRecord mapped = mapper.toRecord("conversations", item, Source.WEBHOOK);
        Map<String, Object> row = new LinkedHashMap<>(mapped.row());
        NOT_COLUMNS_FROM_WEBHOOK_CONVERSATIONS.forEach(row::remove);
        List<CanonicalRecord> records = new ArrayList<>();
        records.add(new CanonicalRecord("conversations", mapped.id(), Operation.UPSERT, Source.WEBHOOK, version, row,
                Map.of()));
        records.addAll(partRows(mapped, version));
        return records;
    }

    private static List<CanonicalRecord> partRows(CanonicalRecord conversation, Long version) {
        List<CanonicalRecord> parts = new ArrayList<>();
        for (Map<String, Object> part : conversation.children().getOrDefault("conversation_parts", List.of())) {
            Object id = part.get("id");
            if (id != null) {
                parts.add(new CanonicalRecord("conversation_parts", id.toString(), Operation.UPSERT, Source.WEBHOOK,
                        version, part, Map.of()));
            }
        }
        return parts;
    }

    /** {@code ticket.closed} nests the ticket under {@code data.item.ticket}; other ticket topics send it as the item. */
    private static JsonNode ticketOf(JsonNode item) {
        JsonNode nested = item.get("ticket");
        return !"ticket".equals(item.path("type").asText()) && nested != null && nested.isObject() ? nested : item;
    }

    /** Events may come without an id of their own: the notification's id then identifies the row. */
    private CanonicalRecord event(JsonNode item, JsonNode envelope, Long notificationCreatedAt) {
        ObjectNode event = item.deepCopy();
        if (!event.hasNonNull("id")) {
            event.put("id", envelope.path("id").asText());
        }
        CanonicalRecord mapped = mapper.toRecord("events", event, Source.WEBHOOK);
        Long createdAt = epochSeconds(item.get("created_at"));
        return versioned(mapped, createdAt != null ? createdAt : notificationCreatedAt);
    }

    private static CanonicalRecord versioned(CanonicalRecord record, Long version) {
        return new CanonicalRecord(record.collection(), record.id(), record.op(), record.source(), version,
                record.row(), record.children());
    }

    /** The item's updated_at, else the notification's created_at. */
    static Long version(JsonNode item, Long notificationCreatedAt) {
        Long updatedAt = epochSeconds(item.get("updated_at"));
        return updatedAt != null ? updatedAt : notificationCreatedAt;
    }

    private static Long epochSeconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual() && value.asText().matches("\\d{1,18}")) {
            return Long.parseLong(value.asText());
        }
        return null;
    }

    private static String requiredId(JsonNode node, String what) {
        if (node == null || !node.hasNonNull("id")) {
            throw new IllegalArgumentException(what + " without an id");
        }
        return node.get("id").asText();
    }
}
