package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

import static org.intercomhub.sandbox.SeededRandom.below;
import static org.intercomhub.sandbox.SeededRandom.chance;
import static org.intercomhub.sandbox.SeededRandom.pick;

/**
 * Renders conversation i (OpenAPI {@code conversation}). One conversation has 600 generated parts, the others 1 to
 * 12; every mutation appends one part and toggles the state (open becomes closed, closed or snoozed becomes open).
 */
final class ConversationGenerator {

    /** Intercom returns only the most recent 500 parts of a conversation. */
    static final int PART_LIMIT = 500;
    static final int BIG_CONVERSATION_PARTS = 600;

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final long seed;
    private final int bigIndex;

    ConversationGenerator(SandboxWorkspace ws) {
        this.ws = ws;
        this.table = ws.conversationsTable();
        this.seed = ws.seed();
        int n = ws.config().conversations();
        this.bigIndex = n == 0 ? -1 : below(SeededRandom.hash(seed, SeededRandom.CONVERSATION, 0, 999), n);
    }

    private long h(int i, int salt) {
        return SeededRandom.hash(seed, SeededRandom.CONVERSATION, i, salt);
    }

    int bigConversationIndex() { return bigIndex; }

    int generatedPartCount(int i) { return i == bigIndex ? BIG_CONVERSATION_PARTS : 1 + below(h(i, 10), 12); }

    int partCount(int i) { return generatedPartCount(i) + table.version(i); }

    private String generatedState(int i) {
        int r = below(h(i, 11), 10);
        return r < 4 ? "open" : r < 9 ? "closed" : "snoozed";
    }

    String state(int i) {
        int v = table.version(i);
        if (v == 0) {
            return generatedState(i);
        }
        boolean startedOpen = "open".equals(generatedState(i));
        boolean odd = v % 2 == 1;
        return startedOpen == odd ? "closed" : "open";
    }

    boolean read(int i) { return chance(h(i, 12), 70); }
    int contactIndex(int i) { return below(h(i, 13), Math.max(1, ws.config().contacts())); }
    Long adminAssigneeId(int i) { return chance(h(i, 14), 80) ? SandboxIds.adminNumber(below(h(i, 15), ws.config().admins())) : null; }
    Long teamAssigneeId(int i) { return chance(h(i, 16), 60) ? SandboxIds.teamNumber(below(h(i, 17), ws.config().teams())) : null; }
    String priority(int i) { return chance(h(i, 18), 15) ? "priority" : "not_priority"; }

    /** The full conversation; list and search items are rendered without parts, as Intercom does. */
    void write(JsonGenerator g, int i, boolean withParts) throws IOException {
        String state = state(i);
        long created = table.createdAt(i);
        long updated = table.updatedAt(i);
        int contact = contactIndex(i);
        Long admin = adminAssigneeId(i);
        int parts = partCount(i);
        g.writeStartObject();
        g.writeStringField("type", "conversation");
        g.writeStringField("id", SandboxIds.conversation(i));
        Json.stringOrNull(g, "title", chance(h(i, 19), 30) ? pick(h(i, 20), SampleWords.TICKET_TITLES) : null);
        g.writeNumberField("created_at", created);
        g.writeNumberField("updated_at", updated);
        Json.longOrNull(g, "waiting_since", "open".equals(state) ? updated : null);
        Json.longOrNull(g, "snoozed_until", "snoozed".equals(state) ? updated + 86_400L : null);
        g.writeBooleanField("open", "open".equals(state));
        g.writeStringField("state", state);
        g.writeBooleanField("read", read(i));
        g.writeStringField("priority", priority(i));
        Json.longOrNull(g, "admin_assignee_id", admin);
        Json.longOrNull(g, "team_assignee_id", teamAssigneeId(i));
        g.writeNullField("company");
        writeTags(g, i, created);
        writeRating(g, i, contact, admin, updated);
        writeSource(g, i, contact, created);
        g.writeObjectFieldStart("contacts");
        g.writeStringField("type", "contact.list");
        g.writeArrayFieldStart("contacts");
        if (ws.config().contacts() > 0) {
            g.writeStartObject();
            g.writeStringField("type", "contact");
            g.writeStringField("id", SandboxIds.contact(contact));
            Json.stringOrNull(g, "external_id", ws.contactGenerator().externalId(contact));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("teammates");
        g.writeStringField("type", "admin.list");
        g.writeArrayFieldStart("admins");
        if (admin != null) {
            g.writeStartObject();
            g.writeStringField("type", "admin");
            g.writeStringField("id", Long.toString(admin));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("custom_attributes");
        g.writeStringField("Channel", pick(h(i, 21), new String[] {"Email", "Messenger", "WhatsApp", "Phone"}));
        g.writeBooleanField("Escalated", chance(h(i, 22), 10));
        g.writeNumberField("Order value", below(h(i, 23), 100_000) / 100.0);
        g.writeEndObject();
        g.writeObjectFieldStart("first_contact_reply");
        g.writeNumberField("created_at", created);
        g.writeStringField("type", "conversation");
        g.writeNullField("url");
        g.writeEndObject();
        g.writeNullField("sla_applied");
        writeStatistics(g, i, state, created, updated, parts, admin);
        if (withParts) {
            writeParts(g, i, parts);
        }
        g.writeObjectFieldStart("linked_objects");
        g.writeStringField("type", "list");
        g.writeArrayFieldStart("data");
        g.writeEndArray();
        g.writeNumberField("total_count", 0);
        g.writeBooleanField("has_more", false);
        g.writeEndObject();
        g.writeBooleanField("ai_agent_participated", chance(h(i, 24), 20));
        g.writeEndObject();
    }

    private void writeTags(JsonGenerator g, int i, long created) throws IOException {
        g.writeObjectFieldStart("tags");
        g.writeStringField("type", "tag.list");
        g.writeArrayFieldStart("tags");
        int tags = ws.config().tags();
        int n = tags == 0 ? 0 : Math.min(tags, below(h(i, 30), 3));
        for (int k = 0; k < n; k++) {
            int t = (below(h(i, 31), tags) + k) % tags;
            g.writeStartObject();
            g.writeStringField("type", "tag");
            g.writeStringField("id", SandboxIds.tag(t));
            g.writeStringField("name", ws.referenceData().tagName(t));
            g.writeNumberField("applied_at", created + 60);
            g.writeObjectFieldStart("applied_by");
            g.writeStringField("type", "admin");
            g.writeStringField("id", SandboxIds.admin(below(h(i, 32), ws.config().admins())));
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeRating(JsonGenerator g, int i, int contact, Long admin, long updated) throws IOException {
        if (!chance(h(i, 33), 25)) {
            g.writeNullField("conversation_rating");
            return;
        }
        g.writeObjectFieldStart("conversation_rating");
        g.writeNumberField("rating", 1 + below(h(i, 34), 5));
        g.writeStringField("remark", chance(h(i, 35), 50) ? "Quick and helpful" : "");
        g.writeNumberField("created_at", updated);
        g.writeObjectFieldStart("contact");
        g.writeStringField("type", "contact");
        g.writeStringField("id", SandboxIds.contact(contact));
        Json.stringOrNull(g, "external_id", ws.contactGenerator().externalId(contact));
        g.writeEndObject();
        g.writeObjectFieldStart("teammate");
        g.writeStringField("type", "admin");
        g.writeStringField("id", admin == null ? SandboxIds.admin(0) : Long.toString(admin));
        g.writeEndObject();
        g.writeEndObject();
    }

    private void writeSource(JsonGenerator g, int i, int contact, long created) throws IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("type", "conversation");
        g.writeStringField("id", Long.toString(400_000_000L + i));
        g.writeStringField("delivered_as", "customer_initiated");
        g.writeStringField("subject", "");
        g.writeStringField("body", "<p>" + pick(h(i, 40), SampleWords.MESSAGES) + "</p>");
        writeContactAuthor(g, contact);
        g.writeArrayFieldStart("attachments");
        g.writeEndArray();
        g.writeNullField("url");
        g.writeBooleanField("redacted", false);
        g.writeEndObject();
    }

    private void writeContactAuthor(JsonGenerator g, int contact) throws IOException {
        ContactGenerator contacts = ws.contactGenerator();
        g.writeObjectFieldStart("author");
        boolean any = ws.config().contacts() > 0;
        g.writeStringField("type", any ? contacts.role(contact) : "user");
        g.writeStringField("id", SandboxIds.contact(contact));
        g.writeStringField("name", any ? contacts.name(contact) : "Unknown");
        g.writeStringField("email", any ? contacts.email(contact) : "");
        g.writeBooleanField("from_ai_agent", false);
        g.writeBooleanField("is_ai_answer", false);
        g.writeEndObject();
    }

    private void writeStatistics(JsonGenerator g, int i, String state, long created, long updated, int parts, Long admin)
            throws IOException {
        long firstReply = created + 60 + SeededRandom.belowLong(h(i, 50), 7200);
        g.writeObjectFieldStart("statistics");
        g.writeStringField("type", "conversation_statistics");
        g.writeNumberField("time_to_assignment", 0);
        g.writeNumberField("time_to_admin_reply", firstReply - created);
        Json.longOrNull(g, "time_to_first_close", "closed".equals(state) ? updated - created : null);
        Json.longOrNull(g, "time_to_last_close", "closed".equals(state) ? updated - created : null);
        g.writeNumberField("median_time_to_reply", firstReply - created);
        g.writeNumberField("first_contact_reply_at", created);
        g.writeNumberField("first_assignment_at", created);
        g.writeNumberField("first_admin_reply_at", firstReply);
        Json.longOrNull(g, "first_close_at", "closed".equals(state) ? updated : null);
        g.writeNumberField("last_assignment_at", created);
        g.writeNumberField("last_assignment_admin_reply_at", firstReply);
        g.writeNumberField("last_contact_reply_at", created);
        g.writeNumberField("last_admin_reply_at", firstReply);
        Json.longOrNull(g, "last_close_at", "closed".equals(state) ? updated : null);
        Json.stringOrNull(g, "last_closed_by_id", "closed".equals(state) && admin != null ? Long.toString(admin) : null);
        g.writeNumberField("count_reopens", table.version(i) / 2);
        g.writeNumberField("count_assignments", admin == null ? 0 : 1);
        g.writeNumberField("count_conversation_parts", parts);
        g.writeEndObject();
    }

    /** The most recent {@value #PART_LIMIT} parts, oldest first, with the real total_count. */
    private void writeParts(JsonGenerator g, int i, int total) throws IOException {
        g.writeObjectFieldStart("conversation_parts");
        g.writeStringField("type", "conversation_part.list");
        g.writeArrayFieldStart("conversation_parts");
        for (int p = Math.max(0, total - PART_LIMIT); p < total; p++) {
            writePart(g, i, p);
        }
        g.writeEndArray();
        g.writeNumberField("total_count", total);
        g.writeEndObject();
    }

    static String partId(int conversation, int part) {
        return Long.toString(5_000_000_000L + conversation * 10_000L + part);
    }

    private void writePart(JsonGenerator g, int i, int p) throws IOException {
        int generated = generatedPartCount(i);
        long created = table.createdAt(i);
        long at;
        String partType;
        String body;
        boolean fromContact;
        if (p < generated) {
            long span = Math.max(generated, table.generatedUpdatedAt(i) - created);
            at = created + span * (p + 1) / generated;
            fromContact = p % 2 == 1;
            partType = !fromContact && chance(h(i, 1000 + p), 15) ? "note" : "comment";
            body = "<p>" + pick(h(i, 2000 + p), SampleWords.MESSAGES) + "</p>";
        } else {
            int version = p - generated + 1;
            at = table.versionTimes(i)[version - 1];
            boolean startedOpen = "open".equals(generatedState(i));
            boolean closes = startedOpen == (version % 2 == 1);
            fromContact = false;
            partType = closes ? "close" : "open";
            body = closes ? "<p>Closing this, thanks!</p>" : "<p>Reopened for a follow-up.</p>";
        }
        g.writeStartObject();
        g.writeStringField("type", "conversation_part");
        g.writeStringField("id", partId(i, p));
        g.writeStringField("part_type", partType);
        g.writeStringField("body", body);
        g.writeNumberField("created_at", at);
        g.writeNumberField("updated_at", at);
        g.writeNumberField("notified_at", at);
        g.writeNullField("assigned_to");
        if (fromContact) {
            writeContactAuthor(g, contactIndex(i));
        } else {
            int admin = below(h(i, 3000 + p), ws.config().admins());
            g.writeObjectFieldStart("author");
            g.writeStringField("type", "admin");
            g.writeStringField("id", SandboxIds.admin(admin));
            g.writeStringField("name", SampleWords.FIRST_NAMES[admin % SampleWords.FIRST_NAMES.length] + " Support");
            g.writeStringField("email", "admin" + (admin + 1) + "@sandbox.example.com");
            g.writeBooleanField("from_ai_agent", false);
            g.writeBooleanField("is_ai_answer", false);
            g.writeEndObject();
        }
        g.writeArrayFieldStart("attachments");
        g.writeEndArray();
        g.writeNullField("external_id");
        g.writeBooleanField("redacted", false);
        g.writeNullField("email_message_metadata");
        g.writeObjectFieldStart("metadata");
        g.writeEndObject();
        g.writeStringField("state", p < generated ? "open" : ("close".equals(partType) ? "closed" : "open"));
        g.writeArrayFieldStart("tags");
        g.writeEndArray();
        g.writeObjectFieldStart("event_details");
        g.writeEndObject();
        g.writeNullField("app_package_code");
        g.writeEndObject();
    }
}
