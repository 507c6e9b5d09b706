package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GET /segments, /tags, /admins, /teams, /data_attributes and /admins/activity_logs; POST /data_attributes. */
final class ReferenceEndpoints {

    /** Standard (non-custom) contact attributes: name and data type. */
    private static final String[][] CONTACT_STANDARD = {
        {"name", "string"}, {"email", "string"}, {"phone", "string"}, {"role", "string"}, {"external_id", "string"},
        {"owner_id", "integer"}, {"created_at", "date"}, {"updated_at", "date"}, {"signed_up_at", "date"},
        {"last_seen_at", "date"}, {"unsubscribed_from_emails", "boolean"}, {"browser", "string"}, {"os", "string"}};

    private static final String[][] COMPANY_STANDARD = {
        {"name", "string"}, {"company_id", "string"}, {"created_at", "date"}, {"updated_at", "date"},
        {"last_request_at", "date"}, {"monthly_spend", "float"}, {"session_count", "integer"},
        {"user_count", "integer"}, {"size", "integer"}, {"website", "string"}, {"industry", "string"}};

    private final SandboxWorkspace ws;
    private final ReferenceData ref;
    private final SandboxConfig config;

    ReferenceEndpoints(SandboxWorkspace ws) {
        this.ws = ws;
        this.ref = ws.referenceData();
        this.config = ws.config();
    }

    SandboxResponse segments(SandboxRequest req) {
        boolean includeCount = "true".equalsIgnoreCase(req.param("include_count"));
        int contacts = ws.count("contacts");
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "segment.list");
            g.writeArrayFieldStart("segments");
            for (int s = 0; s < config.segments(); s++) {
                ref.writeSegment(g, s, includeCount, contacts);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("pages");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    SandboxResponse tags() {
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "list");
            g.writeArrayFieldStart("data");
            for (int t = 0; t < config.tags(); t++) {
                ref.writeTag(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    SandboxResponse admins() {
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "admin.list");
            g.writeArrayFieldStart("admins");
            for (int a = 0; a < config.admins(); a++) {
                ref.writeAdmin(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    SandboxResponse teams() {
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "team.list");
            g.writeArrayFieldStart("teams");
            for (int t = 0; t < config.teams(); t++) {
                ref.writeTeam(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Contact and company attributes, standard and custom (including names added through setCustomAttribute).
     * One archived custom attribute per model appears only with include_archived=true. On 2.16,
     * model=conversation is a 422 (conversation attributes moved to GET /conversations/attributes).
     */
    SandboxResponse dataAttributes(SandboxRequest req) {
        String model = req.param("model");
        boolean archived = "true".equalsIgnoreCase(req.param("include_archived"));
        if (model != null && !model.equals("contact") && !model.equals("company")) {
            throw new ApiException(422, "parameter_invalid",
                    "model must be contact or company" + ("conversation".equals(model)
                            ? "; conversation attributes are listed by GET /conversations/attributes" : ""));
        }
        Map<String, String> added;
        Map<String, String> addedCompany;
        ws.readLock().lock();
        try {
            added = new java.util.LinkedHashMap<>(ws.addedContactAttributes());
            addedCompany = new java.util.LinkedHashMap<>(ws.addedCompanyAttributes());
        } finally {
            ws.readLock().unlock();
        }
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "list");
            g.writeArrayFieldStart("data");
            if (model == null || model.equals("contact")) {
                writeModel(g, "contact", CONTACT_STANDARD, ContactGenerator.CUSTOM_ATTRIBUTES, added, archived, CONTACT_FIRST_ID);
            }
            if (model == null || model.equals("company")) {
                writeModel(g, "company", COMPANY_STANDARD, new java.util.TreeMap<>(CompanyGenerator.CUSTOM_ATTRIBUTES),
                        addedCompany, archived, COMPANY_FIRST_ID);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * POST /data_attributes: creates a custom attribute of a contact or company (refusals in
     * {@link SandboxWrites#createDataAttribute}) and answers the {@code data_attribute} as the list shows it.
     */
    SandboxResponse createDataAttribute(SandboxRequest req) {
        ws.writeLock().lock();
        try {
            String[] created = ws.writes().createDataAttribute(req.json(), names(CONTACT_STANDARD), names(COMPANY_STANDARD));
            boolean contact = created[0].equals("contact");
            Map<String, String> added = contact ? ws.addedContactAttributes() : ws.addedCompanyAttributes();
            int position = new ArrayList<>(added.keySet()).indexOf(created[1]);
            String description = req.json().path("description").asText("Custom attribute " + created[1]);
            return SandboxResponse.ok(g -> writeAttribute(g, (contact ? CONTACT_FIRST_ID : COMPANY_FIRST_ID) + ADDED_OFFSET + position,
                    created[0], created[1], "custom_attributes." + created[1], added.get(created[1]), true, false,
                    description, ws.nowEpochSecond()));
        } finally {
            ws.writeLock().unlock();
        }
    }

    private static java.util.Set<String> names(String[][] standard) {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (String[] a : standard) {
            s.add(a[0]);
        }
        return s;
    }

    private static final int CONTACT_FIRST_ID = 1;
    private static final int COMPANY_FIRST_ID = 100;
    /** Attributes added after generation get ids from here on (per model), so ids never shift. */
    private static final int ADDED_OFFSET = 1000;

    private void writeModel(JsonGenerator g, String model, String[][] standard, Map<String, String> custom,
                            Map<String, String> added, boolean includeArchived, int firstId) throws IOException {
        for (String[] s : standard) {
            writeAttribute(g, null, model, s[0], s[0], s[1], false, false);
        }
        int id = firstId;
        for (Map.Entry<String, String> e : custom.entrySet()) {
            writeAttribute(g, id++, model, e.getKey(), "custom_attributes." + e.getKey(), e.getValue(), true, false);
        }
        if (includeArchived) {
            writeAttribute(g, id, model, "legacy_score", "custom_attributes.legacy_score", "integer", true, true);
        }
        int addedId = firstId + ADDED_OFFSET;
        for (Map.Entry<String, String> e : added.entrySet()) {
            writeAttribute(g, addedId++, model, e.getKey(), "custom_attributes." + e.getKey(), e.getValue(), true, false);
        }
    }

    private void writeAttribute(JsonGenerator g, Integer id, String model, String name, String fullName, String type,
                                boolean custom, boolean archived) throws IOException {
        writeAttribute(g, id, model, name, fullName, type, custom, archived,
                custom ? "Custom attribute " + name : "Standard " + model + " attribute", ws.generatedAt() - 700 * 86_400L);
    }

    private void writeAttribute(JsonGenerator g, Integer id, String model, String name, String fullName, String type,
                                boolean custom, boolean archived, String description, long createdAt) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "data_attribute");
        if (id != null) {
            g.writeNumberField("id", id);
        }
        g.writeStringField("model", model);
        g.writeStringField("name", name);
        g.writeStringField("full_name", fullName);
        g.writeStringField("label", name.replace('_', ' '));
        g.writeStringField("description", description);
        g.writeStringField("data_type", type);
        g.writeBooleanField("api_writable", custom);
        g.writeBooleanField("messenger_writable", false);
        g.writeBooleanField("ui_writable", custom);
        g.writeBooleanField("custom", custom);
        g.writeBooleanField("archived", archived);
        if (custom) {
            g.writeNumberField("created_at", createdAt);
            g.writeNumberField("updated_at", createdAt);
            g.writeNumberField("admin_id", SandboxIds.adminNumber(0));
        }
        g.writeEndObject();
    }

    /** Page-number list of activity logs, newest first, within [created_at_after, created_at_before]. */
    SandboxResponse activityLogs(SandboxRequest req) {
        String after = req.param("created_at_after");
        if (after == null || after.isEmpty()) {
            throw ApiException.badRequest("parameter_not_found", "created_at_after is a required parameter");
        }
        long from = parseLong("created_at_after", after);
        String beforeText = req.param("created_at_before");
        long to = beforeText == null || beforeText.isEmpty() ? Long.MAX_VALUE : parseLong("created_at_before", beforeText);
        int perPage = req.intParam("per_page", 20, 1, 250);
        int page = req.intParam("page", 1, 1, Integer.MAX_VALUE);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < config.activityLogs(); i++) {
            long at = ref.activityLogCreatedAt(i);
            if (at >= from && at <= to) {
                hits.add(i);
            }
        }
        int totalPages = Math.max(1, (hits.size() + perPage - 1) / perPage);
        int start = (int) Math.min(hits.size(), (long) (page - 1) * perPage);
        int end = (int) Math.min(hits.size(), (long) page * perPage);
        return SandboxResponse.ok(g -> {
            g.writeStartObject();
            g.writeStringField("type", "activity_log.list");
            SandboxResponse.writePageLinks(g, req, page, perPage, totalPages);
            g.writeArrayFieldStart("activity_logs");
            for (int k = start; k < end; k++) {
                ref.writeActivityLog(g, hits.get(k));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter_invalid", name + " must be a UNIX timestamp");
        }
    }
}
