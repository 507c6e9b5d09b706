package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

import static org.intercomhub.sandbox.SeededRandom.below;
import static org.intercomhub.sandbox.SeededRandom.chance;
import static org.intercomhub.sandbox.SeededRandom.pick;

/** Renders ticket i (OpenAPI {@code ticket}); each mutation advances the ticket state and adds a ticket part. */
final class TicketGenerator {

    /** id, category, internal label, external label. */
    private static final String[][] STATES = {
        {"1", "submitted", "Submitted", "Submitted"},
        {"2", "in_progress", "In progress", "In progress"},
        {"3", "waiting_on_customer", "Waiting on customer", "Waiting on you"},
        {"4", "resolved", "Resolved", "Resolved"}};

    private static final String[] CATEGORIES = {"Customer", "Back-office", "Tracker"};

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final long seed;

    TicketGenerator(SandboxWorkspace ws) {
        this.ws = ws;
        this.table = ws.ticketsTable();
        this.seed = ws.seed();
    }

    private long h(int i, int salt) {
        return SeededRandom.hash(seed, SeededRandom.TICKET, i, salt);
    }

    private int stateIndex(int i) { return (below(h(i, 10), STATES.length) + table.version(i)) % STATES.length; }
    String stateCategory(int i) { return STATES[stateIndex(i)][1]; }
    boolean open(int i) { return !"resolved".equals(stateCategory(i)); }
    String category(int i) { return CATEGORIES[below(h(i, 11), CATEGORIES.length)]; }
    private int generatedParts(int i) { return 1 + below(h(i, 12), 3); }

    void write(JsonGenerator g, int i) throws IOException {
        int state = stateIndex(i);
        int type = below(h(i, 13), 2);
        int contact = below(h(i, 14), Math.max(1, ws.config().contacts()));
        long created = table.createdAt(i);
        int v = table.version(i);
        g.writeStartObject();
        g.writeStringField("type", "ticket");
        g.writeStringField("id", SandboxIds.ticket(i));
        g.writeStringField("ticket_id", Integer.toString(i + 1));
        g.writeStringField("category", category(i));
        g.writeObjectFieldStart("ticket_attributes");
        g.writeStringField("_default_title_", pick(h(i, 15), SampleWords.TICKET_TITLES) + (v == 0 ? "" : " (update " + v + ")"));
        g.writeStringField("_default_description_", pick(h(i, 16), SampleWords.MESSAGES));
        g.writeEndObject();
        g.writeObjectFieldStart("ticket_state");
        g.writeStringField("type", "ticket_state");
        g.writeStringField("id", STATES[state][0]);
        g.writeStringField("category", STATES[state][1]);
        g.writeStringField("internal_label", STATES[state][2]);
        g.writeStringField("external_label", STATES[state][3]);
        g.writeEndObject();
        g.writeObjectFieldStart("ticket_type");
        g.writeStringField("type", "ticket_type");
        g.writeStringField("id", Integer.toString(10 + type));
        g.writeStringField("category", type == 0 ? "Customer" : "Back-office");
        g.writeStringField("name", type == 0 ? "Bug report" : "Billing request");
        g.writeStringField("description", type == 0 ? "Something is broken" : "Questions about invoices");
        g.writeStringField("icon", type == 0 ? "🐞" : "💳");
        g.writeStringField("workspace_id", ws.config().appId());
        g.writeBooleanField("archived", false);
        g.writeNumberField("created_at", ws.generatedAt() - 800 * 86_400L);
        g.writeNumberField("updated_at", ws.generatedAt() - 800 * 86_400L);
        g.writeBooleanField("is_internal", type == 1);
        g.writeEndObject();
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
        if (chance(h(i, 17), 75)) {
            g.writeNumberField("admin_assignee_id", SandboxIds.adminNumber(below(h(i, 18), ws.config().admins())));
        } else {
            g.writeNullField("admin_assignee_id");
        }
        g.writeNumberField("team_assignee_id", SandboxIds.teamNumber(below(h(i, 19), ws.config().teams())));
        g.writeNumberField("created_at", created);
        g.writeNumberField("updated_at", table.updatedAt(i));
        g.writeBooleanField("open", open(i));
        g.writeNullField("snoozed_until");
        g.writeObjectFieldStart("linked_objects");
        g.writeStringField("type", "list");
        g.writeArrayFieldStart("data");
        g.writeEndArray();
        g.writeNumberField("total_count", 0);
        g.writeBooleanField("has_more", false);
        g.writeEndObject();
        writeParts(g, i, created);
        g.writeBooleanField("is_shared", type == 0);
        Json.stringOrNull(g, "previous_ticket_state_id", v == 0 ? null : STATES[(state + STATES.length - 1) % STATES.length][0]);
        g.writeEndObject();
    }

    private void writeParts(JsonGenerator g, int i, long created) throws IOException {
        int generated = generatedParts(i);
        long[] versions = table.versionTimes(i);
        int total = generated + versions.length;
        g.writeObjectFieldStart("ticket_parts");
        g.writeStringField("type", "ticket_part.list");
        g.writeArrayFieldStart("ticket_parts");
        long span = Math.max(generated, table.generatedUpdatedAt(i) - created);
        for (int p = 0; p < total; p++) {
            long at = p < generated ? created + span * (p + 1) / generated : versions[p - generated];
            int admin = below(h(i, 100 + p), ws.config().admins());
            g.writeStartObject();
            g.writeStringField("type", "ticket_part");
            g.writeStringField("id", Long.toString(6_000_000_000L + i * 10_000L + p));
            g.writeStringField("part_type", p < generated ? "comment" : "ticket_state_updated_by_admin");
            g.writeStringField("body", p < generated ? "<p>" + pick(h(i, 200 + p), SampleWords.MESSAGES) + "</p>" : null);
            g.writeNumberField("created_at", at);
            g.writeNumberField("updated_at", at);
            g.writeObjectFieldStart("author");
            g.writeStringField("type", "admin");
            g.writeStringField("id", SandboxIds.admin(admin));
            g.writeStringField("name", SampleWords.FIRST_NAMES[admin % SampleWords.FIRST_NAMES.length] + " Support");
            g.writeStringField("email", "admin" + (admin + 1) + "@sandbox.example.com");
            g.writeEndObject();
            g.writeArrayFieldStart("attachments");
            g.writeEndArray();
            g.writeBooleanField("redacted", false);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("total_count", total);
        g.writeEndObject();
    }
}
