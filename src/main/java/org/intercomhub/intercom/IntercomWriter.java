package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes contacts, companies, attachments, events and data attributes into Intercom through the shared
 * {@link IntercomClient} (so writes and pulls of one app spend one rate budget), handling what Intercom's
 * write API leaves to the caller:
 * <ul>
 *   <li>a lookup reports 0, 1 or several contacts; several is never resolved by taking the first;</li>
 *   <li>a create meeting 409 "A contact matching those details already exists with id=..." (search lags behind
 *       writes by minutes) updates the contact that message names, after unarchiving it for the archived variant;</li>
 *   <li>an update of an archived contact (Intercom answers it as unknown) unarchives it, then updates;</li>
 *   <li>an event with more than ten metadata keys, or nested metadata, is rejected before it is sent, naming the
 *       keys (Intercom would silently keep the first ten).</li>
 * </ul>
 * Intercom's refusals of one record (4xx other than 401, 403 and 429) come back as {@link WriteResult.Outcome#REJECTED}
 * with Intercom's code and message; failures of the app or the service (access denied, Intercom unavailable) are
 * thrown, as they concern every row. Thread-safe.
 */
public final class IntercomWriter {

    /** Matches fetched per lookup: enough to name the contacts of an ambiguous match. */
    public static final int MATCH_PAGE = 10;
    public static final int MAX_EVENT_METADATA_KEYS = 10;

    private static final Pattern CONFLICT_ID = Pattern.compile("already exists with id=([0-9A-Za-z]+)");

    private final IntercomClient client;
    private final ObjectMapper mapper;

    public IntercomWriter(IntercomClient client) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = client.objectMapper();
    }

    public IntercomClient client() {
        return client;
    }

    // ------------------------------------------------------------------ lookups

    /**
     * The contacts with this email or external_id ({@code POST /contacts/search}), or with this Intercom id
     * ({@code GET /contacts/{id}}). A contact written in the last minutes may not be found by search yet.
     */
    public ContactMatch findContacts(ContactMatch.MatchField field, String value) {
        Objects.requireNonNull(field, "field");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a " + field.apiName() + " to match is required");
        }
        if (field == ContactMatch.MatchField.ID) {
            try {
                JsonNode contact = client.get("/contacts/" + segment(value));
                return new ContactMatch(field, value, List.of(contact.path("id").asText(value)), 1);
            } catch (IntercomApiException e) {
                if (e.status() == 404) {
                    return new ContactMatch(field, value, List.of(), 0);
                }
                throw e;
            }
        }
        ObjectNode body = mapper.createObjectNode();
        body.putObject("query").put("field", field.apiName()).put("operator", "=").put("value", value);
        body.putObject("pagination").put("per_page", MATCH_PAGE);
        JsonNode page = client.post("/contacts/search", body);
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(c -> ids.add(c.path("id").asText()));
        int total = page.path("total_count").isNumber() ? page.get("total_count").asInt() : ids.size();
        return new ContactMatch(field, value, ids, Math.max(total, ids.size()));
    }

    /** Intercom's id of the company with this company_id ({@code GET /companies?company_id=}), or null. */
    public String findCompany(String companyId) {
        try {
            JsonNode company = client.get("/companies", Map.of("company_id", companyId));
            return company.path("id").isTextual() ? company.get("id").asText() : null;
        } catch (IntercomApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ contacts

    /**
     * Updates the one contact matching {@code field=value}, or creates it when there is none and
     * {@code create} is set (upsert; otherwise a missing contact is rejected, as update-only). Several matches are
     * rejected as ambiguous. Matching by Intercom id goes straight to the update (no lookup; ids cannot be created).
     * {@code fields} is the contact body; for a create the match value is added to it.
     */
    public WriteResult upsertContact(ContactMatch.MatchField field, String value, ObjectNode fields, boolean create) {
        if (field == ContactMatch.MatchField.ID) {
            return updateContact(value, fields);
        }
        ContactMatch match = findContacts(field, value);
        switch (match.kind()) {
            case ONE:
                return updateContact(match.id(), fields);
            case SEVERAL:
                return WriteResult.rejected(null, match.ambiguity());
            default:
                if (!create) {
                    return WriteResult.rejected(null, "not_found: no contact has " + field.apiName() + "=" + value);
                }
                ObjectNode body = fields.deepCopy();
                body.put(field.apiName(), value);
                return createContact(body);
        }
    }

    /**
     * {@code POST /contacts}. On 409 conflict the contact named in the message is updated with the same fields
     * (unarchived first for the archived variant): the create lost a race with Intercom's search index, not the row.
     */
    public WriteResult createContact(ObjectNode fields) {
        try {
            JsonNode created = client.post("/contacts", fields);
            return WriteResult.created(created.path("id").asText(null));
        } catch (IntercomApiException e) {
            String existing = e.status() == 409 ? conflictingId(e.apiMessage()) : null;
            if (existing == null) {
                return rejected(null, e);
            }
            boolean archived = e.apiMessage().toLowerCase(java.util.Locale.ROOT).contains("archived contact");
            if (archived) {
                WriteResult unarchived = unarchiveContact(existing);
                if (unarchived.isRejected()) {
                    return unarchived;
                }
            }
            WriteResult updated = put("/contacts/" + segment(existing), fields, existing);
            if (updated.isRejected()) {
                return updated;
            }
            return WriteResult.updated(existing, "create met 409 conflict" + (archived ? "; unarchived" : "")
                    + "; updated the existing contact");
        }
    }

    /**
     * {@code PUT /contacts/{id}}. Intercom answers an archived contact as unknown (404), so a 404 is followed by an
     * unarchive and, when that finds the contact, the update again; a contact that is gone is rejected.
     */
    public WriteResult updateContact(String id, ObjectNode fields) {
        try {
            client.put("/contacts/" + segment(id), fields);
            return WriteResult.updated(id);
        } catch (IntercomApiException e) {
            if (e.status() != 404) {
                return rejected(id, e);
            }
        }
        WriteResult unarchived = unarchiveContact(id);
        if (unarchived.isRejected()) {
            return unarchived;
        }
        WriteResult updated = put("/contacts/" + segment(id), fields, id);
        return updated.isRejected() ? updated : WriteResult.updated(id, "unarchived, then updated");
    }

    /**
     * {@code POST /contacts/merge}: merges the lead {@code from} into the user {@code into} (Intercom merges only that
     * way; the lead is gone afterwards). {@code skip_duplicate_validation}: without it Intercom merges only contacts
     * sharing an email or phone, while a caller merging by its own knowledge (a Segment alias) has already decided.
     */
    public WriteResult mergeContacts(String from, String into) {
        try {
            client.post("/contacts/merge", mapper.createObjectNode().put("from", from).put("into", into)
                    .put("skip_duplicate_validation", true));
            return WriteResult.updated(into, "merged lead " + from + " into it");
        } catch (IntercomApiException e) {
            return rejected(into, e);
        }
    }

    /** {@code POST /contacts/{id}/archive}: Intercom purges archived contacts after 30 days. */
    public WriteResult archiveContact(String id) {
        try {
            client.post("/contacts/" + segment(id) + "/archive", null);
            return WriteResult.archived(id);
        } catch (IntercomApiException e) {
            return rejected(id, e);
        }
    }

    /** {@code POST /contacts/{id}/unarchive}; reported as an update of the contact. */
    public WriteResult unarchiveContact(String id) {
        try {
            client.post("/contacts/" + segment(id) + "/unarchive", null);
            return WriteResult.updated(id, "unarchived");
        } catch (IntercomApiException e) {
            return rejected(id, e);
        }
    }

    /** {@code DELETE /contacts/{id}}: permanent. */
    public WriteResult deleteContact(String id) {
        try {
            client.delete("/contacts/" + segment(id));
            return WriteResult.deleted(id);
        } catch (IntercomApiException e) {
            return rejected(id, e);
        }
    }

    // ------------------------------------------------------------------ companies

    /**
     * {@code POST /companies}: creates or updates the company with the body's {@code company_id}. Intercom does not
     * say which it did; a company whose created_at equals its updated_at is reported as created. A company no
     * contact is attached to is hidden in Intercom's UI and company list.
     */
    public WriteResult upsertCompany(ObjectNode fields) {
        JsonNode companyId = fields.get("company_id");
        if (companyId == null || companyId.isNull() || companyId.asText().isBlank()) {
            return WriteResult.rejected(null, "company_id is required to create or update a company");
        }
        try {
            JsonNode company = client.post("/companies", fields);
            String id = company.path("id").asText(null);
            boolean fresh = company.path("created_at").asLong(-1) == company.path("updated_at").asLong(-2);
            return fresh ? WriteResult.created(id) : WriteResult.updated(id);
        } catch (IntercomApiException e) {
            return rejected(null, e);
        }
    }

    /** {@code PUT /companies/{id}} by Intercom's id; the company_id cannot change. */
    public WriteResult updateCompany(String id, ObjectNode fields) {
        return put("/companies/" + segment(id), fields, id);
    }

    /** {@code DELETE /companies/{id}}: Intercom archives the company asynchronously and detaches its contacts. */
    public WriteResult deleteCompany(String id) {
        try {
            client.delete("/companies/" + segment(id));
            return WriteResult.deleted(id);
        } catch (IntercomApiException e) {
            return rejected(id, e);
        }
    }

    /** {@code POST /contacts/{id}/companies}: attaches the contact to the company (both Intercom ids). */
    public WriteResult attach(String contactId, String companyId) {
        try {
            client.post("/contacts/" + segment(contactId) + "/companies", mapper.createObjectNode().put("id", companyId));
            return WriteResult.updated(contactId, "attached to company " + companyId);
        } catch (IntercomApiException e) {
            return rejected(contactId, e);
        }
    }

    /** {@code DELETE /contacts/{id}/companies/{company}}. */
    public WriteResult detach(String contactId, String companyId) {
        try {
            client.delete("/contacts/" + segment(contactId) + "/companies/" + segment(companyId));
            return WriteResult.updated(contactId, "detached from company " + companyId);
        } catch (IntercomApiException e) {
            return rejected(contactId, e);
        }
    }

    // ------------------------------------------------------------------ events

    /**
     * {@code POST /events} ({@code event_name}, {@code created_at} in seconds, and the contact as {@code id},
     * {@code user_id} or {@code email}). Refused before sending: more than ten metadata keys (naming the ones
     * Intercom would drop) and nested metadata other than rich links and monetary amounts. Intercom answers 202 and
     * ignores a duplicate of an event already sent (same contact, name and created_at).
     */
    public WriteResult submitEvent(ObjectNode event) {
        String refusal = metadataRefusal(event.get("metadata"));
        if (refusal != null) {
            return WriteResult.rejected(null, refusal);
        }
        try {
            client.post("/events", event);
            return WriteResult.created(event.path("id").asText(null));
        } catch (IntercomApiException e) {
            return rejected(null, e);
        }
    }

    /** Why this metadata cannot be sent as it is, or null when it can. */
    static String metadataRefusal(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!metadata.isObject()) {
            return "event metadata must be an object";
        }
        List<String> keys = new ArrayList<>();
        metadata.fieldNames().forEachRemaining(keys::add);
        if (keys.size() > MAX_EVENT_METADATA_KEYS) {
            return "event metadata has " + keys.size() + " keys, Intercom keeps at most " + MAX_EVENT_METADATA_KEYS
                    + " and would drop " + String.join(", ", keys.subList(MAX_EVENT_METADATA_KEYS, keys.size()))
                    + " (keys: " + String.join(", ", keys) + ")";
        }
        List<String> nested = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isArray() || (v.isObject() && !metadataObject(v))) {
                nested.add(e.getKey());
            }
        }
        return nested.isEmpty() ? null : "event metadata is nested in " + String.join(", ", nested)
                + "; Intercom takes flat values, rich links {url, value} and amounts {amount, currency} only";
    }

    /** One of the objects Intercom takes as an event metadata value: a Rich Link or a Monetary Amount. */
    public static boolean metadataObject(JsonNode value) {
        return value.isObject() && value.size() == 2
                && (value.has("url") && value.has("value") || value.has("amount") && value.has("currency"));
    }

    // ------------------------------------------------------------------ data attributes

    /** {@code GET /data_attributes?model=contact|company}, archived ones included. */
    public List<DataAttribute> listDataAttributes(String model) {
        JsonNode list = client.get("/data_attributes", Map.of("model", model, "include_archived", "true"));
        List<DataAttribute> out = new ArrayList<>();
        list.path("data").forEach(a -> out.add(new DataAttribute(
                a.hasNonNull("id") ? a.get("id").asText() : null, a.path("model").asText(model), a.path("name").asText(),
                a.path("data_type").asText(null), a.path("custom").asBoolean(), a.path("archived").asBoolean(),
                a.path("api_writable").asBoolean())));
        return out;
    }

    /**
     * {@code POST /data_attributes}: creates a custom attribute of a contact or company. An attribute of that name
     * already in the same model ("You already have ... in your people data" for contacts) is reported unchanged;
     * the name taken by the other model, a bad name or type are rejected with Intercom's message.
     */
    public WriteResult createDataAttribute(String model, String name, String dataType) {
        ObjectNode body = mapper.createObjectNode().put("name", name).put("model", model).put("data_type", dataType);
        try {
            JsonNode created = client.post("/data_attributes", body);
            return WriteResult.created(created.path("id").asText(null));
        } catch (IntercomApiException e) {
            String own = "contact".equals(model) ? "people" : "company";
            if (e.status() == 400 && e.apiMessage() != null && e.apiMessage().startsWith("You already have")
                    && e.apiMessage().contains("in your " + own + " data")) {
                return WriteResult.unchanged(null, "the " + model + " attribute " + name + " already exists");
            }
            return rejected(null, e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private WriteResult put(String path, ObjectNode fields, String id) {
        try {
            client.put(path, fields);
            return WriteResult.updated(id);
        } catch (IntercomApiException e) {
            return rejected(id, e);
        }
    }

    /**
     * A refusal of this one record. Access denied (401/403) and a rate limit that would not lift concern every
     * record: they are thrown on, as the client throws unavailability.
     */
    private static WriteResult rejected(String id, IntercomApiException e) {
        if (e instanceof IntercomAccessDeniedException || e.status() == 429 || e.status() >= 500) {
            throw e;
        }
        String reason = (e.code() == null ? "HTTP " + e.status() : e.code())
                + (e.apiMessage() == null ? "" : ": " + e.apiMessage());
        return WriteResult.rejected(id, reason);
    }

    /** The contact id in Intercom's 409 message, or null when the message names none. */
    static String conflictingId(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = CONFLICT_ID.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
