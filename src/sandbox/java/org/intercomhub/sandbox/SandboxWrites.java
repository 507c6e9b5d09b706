package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * What the API writes into the workspace, with Intercom's refusals: contacts (create, update, archive, unarchive,
 * delete), companies (create-or-update by company_id, update, delete), contact-company attachments, data events
 * and custom data attributes. Also the search index lag: after a write, search answers from the state before it
 * until {@link SandboxConfig#searchIndexLag()} has passed.
 *
 * <p>Every method runs under the workspace's write lock (taken by the caller) except the read helpers, which run
 * under its read lock.
 */
final class SandboxWrites {

    /** Intercom keeps at most this many metadata keys per event; the sandbox refuses more (see {@link #submitEvent}). */
    static final int MAX_EVENT_METADATA_KEYS = 10;
    static final int MAX_COMPANIES_PER_CONTACT = 1000;

    private static final Set<String> CONTACT_STRINGS = Set.of("email", "external_id", "phone", "name", "avatar");
    private static final Set<String> CONTACT_TIMES = Set.of("signed_up_at", "last_seen_at");
    private static final Set<String> COMPANY_STRINGS = Set.of("name", "plan", "website", "industry");
    /** Attribute names: letters, digits, currency symbols, hyphens, plus underscores and spaces (which Intercom's own attributes use); no '.' or '$'. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{N}\\p{Sc}_\\- ]+");
    private static final Set<String> DATA_TYPES = Set.of("string", "integer", "float", "boolean", "datetime", "date", "options");

    /** A searchable state of a contact as the search index last saw it; {@code fields == null}: not indexed yet. */
    private record Indexed(long untilMillis, Map<String, Object> fields) {
    }

    private record Event(String name, long createdAt, JsonNode metadata) {
    }

    private final SandboxWorkspace ws;
    private final Map<Integer, Indexed> searchLag = new HashMap<>();
    private final Map<Integer, int[]> companiesOf = new HashMap<>();
    private final Map<Integer, List<Event>> events = new HashMap<>();
    private Map<String, Integer> usersByEmail;
    private Map<String, Integer> usersByExternalId;
    private Map<String, Integer> companiesByCompanyId;

    SandboxWrites(SandboxWorkspace ws) {
        this.ws = ws;
    }

    private RecordTable contacts() { return ws.contactsTable(); }
    private RecordTable companies() { return ws.companiesTable(); }
    private ContactGenerator contactGen() { return ws.contactGenerator(); }
    private CompanyGenerator companyGen() { return ws.companyGenerator(); }
    private long now() { return ws.nowEpochSecond(); }

    // ------------------------------------------------------------------ search index lag (read lock)

    /** False while a contact created through the API is not yet in the search index. */
    boolean searchable(int i) {
        Indexed x = pending(i);
        return x == null || x.fields() != null;
    }

    /** A searchable field's value as the index sees it: the state before the last write while it lags. */
    Object indexed(int i, String field, IntFunction<Object> live) {
        Indexed x = pending(i);
        return x == null || x.fields() == null ? live.apply(i) : x.fields().get(field);
    }

    long indexedTime(int i, String field, java.util.function.IntToLongFunction live) {
        Indexed x = pending(i);
        if (x == null || x.fields() == null) {
            return live.applyAsLong(i);
        }
        Object v = x.fields().get(field);
        return v == null ? Long.MIN_VALUE : (Long) v;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> indexedCustom(int i) {
        Indexed x = pending(i);
        return x == null || x.fields() == null ? contactGen().customAttributes(i)
                : (Map<String, Object>) x.fields().get("custom_attributes");
    }

    private Indexed pending(int i) {
        if (searchLag.isEmpty()) {
            return null;
        }
        Indexed x = searchLag.get(i);
        return x == null || ws.clock().millis() >= x.untilMillis() ? null : x;
    }

    /** Called before a contact changes: search keeps seeing the state before the first change it has not indexed. */
    private void beforeContactWrite(int i, boolean creating) {
        long until = ws.clock().millis() + ws.config().searchIndexLag().toMillis();
        Indexed old = pending(i);
        Map<String, Object> fields;
        if (creating) {
            fields = null;
        } else if (old != null) {
            fields = old.fields();
        } else {
            fields = new HashMap<>();
            ContactGenerator g = contactGen();
            fields.put("email", g.email(i));
            fields.put("external_id", g.externalId(i));
            fields.put("name", g.name(i));
            fields.put("role", g.role(i));
            fields.put("signed_up_at", g.signedUpAt(i));
            fields.put("last_seen_at", g.lastSeenAt(i));
            fields.put("custom_attributes", new LinkedHashMap<>(g.customAttributes(i)));
        }
        searchLag.put(i, new Indexed(until, fields));
    }

    // ------------------------------------------------------------------ uniqueness (users only)

    private void buildUserIndexes() {
        if (usersByEmail != null) {
            return;
        }
        usersByEmail = new HashMap<>();
        usersByExternalId = new HashMap<>();
        for (int i = 0; i < contacts().size(); i++) {
            if (contacts().present(i)) {
                indexUser(i);
            }
        }
    }

    private void indexUser(int i) {
        if (!"user".equals(contactGen().role(i))) {
            return;
        }
        String email = contactGen().email(i);
        if (email != null) {
            usersByEmail.put(email.toLowerCase(Locale.ROOT), i);
        }
        String externalId = contactGen().externalId(i);
        if (externalId != null) {
            usersByExternalId.put(externalId, i);
        }
    }

    /** The user (archived or not, other than {@code self}) that already has this email or external_id, or -1. */
    private int conflictingUser(String email, String externalId, int self) {
        buildUserIndexes();
        if (email != null) {
            Integer i = usersByEmail.get(email.toLowerCase(Locale.ROOT));
            if (i != null && i != self && contacts().present(i) && "user".equals(contactGen().role(i))
                    && email.equalsIgnoreCase(String.valueOf(contactGen().email(i)))) {
                return i;
            }
        }
        if (externalId != null) {
            Integer i = usersByExternalId.get(externalId);
            if (i != null && i != self && contacts().present(i) && "user".equals(contactGen().role(i))
                    && externalId.equals(contactGen().externalId(i))) {
                return i;
            }
        }
        return -1;
    }

    private ApiException conflict(int existing) {
        String prefix = contacts().isArchived(existing) ? "An archived contact" : "A contact";
        return new ApiException(409, "conflict",
                prefix + " matching those details already exists with id=" + SandboxIds.contact(existing));
    }

    /** A user found by your identifier (external_id) or email, or -1: what events and GET /events look up. */
    int userBy(String field, String value) {
        buildUserIndexes();
        Integer i = field.equals("email") ? usersByEmail.get(value.toLowerCase(Locale.ROOT)) : usersByExternalId.get(value);
        if (i == null || !contacts().exists(i)) {
            return -1;
        }
        String current = field.equals("email") ? contactGen().email(i) : contactGen().externalId(i);
        return value.equalsIgnoreCase(String.valueOf(current)) ? i : -1;
    }

    // ------------------------------------------------------------------ contacts

    /** POST /contacts. Users are unique by email and external_id (archived ones included); leads are exempt. */
    int createContact(JsonNode body) {
        requireObject(body);
        if (!hasText(body, "email") && !hasText(body, "external_id") && !hasText(body, "role")) {
            throw ApiException.badRequest("parameter_invalid", "Contact must have at least one of email, external_id or role");
        }
        Map<String, Object> fields = contactFields(body);
        String role = fields.containsKey("role") ? (String) fields.get("role") : "user";
        fields.put("role", role);
        Map<String, Object> custom = customAttributes(body, "contact");
        if (role.equals("user")) {
            int existing = conflictingUser((String) fields.get("email"), (String) fields.get("external_id"), -1);
            if (existing >= 0) {
                throw conflict(existing);
            }
        }
        long now = now();
        int i = contacts().append(now, now);
        contacts().markCreated(i);
        for (String f : new String[] {"email", "external_id", "phone", "name", "avatar", "owner_id",
                "signed_up_at", "last_seen_at", "unsubscribed_from_emails"}) {
            contacts().setField(i, f, fields.get(f));
        }
        contacts().setField(i, "role", role);
        custom.forEach((k, v) -> contacts().setCustomAttribute(i, k, v));
        beforeContactWrite(i, true);
        buildUserIndexes();
        indexUser(i);
        return i;
    }

    /** PUT /contacts/{id}: archived and deleted contacts are 404, like unknown ids. */
    void updateContact(int i, JsonNode body) {
        requireObject(body);
        requireContact(i);
        Map<String, Object> fields = contactFields(body);
        Map<String, Object> custom = customAttributes(body, "contact");
        String role = fields.containsKey("role") ? (String) fields.get("role") : contactGen().role(i);
        if (role.equals("user")) {
            String email = fields.containsKey("email") ? (String) fields.get("email") : contactGen().email(i);
            String externalId = fields.containsKey("external_id") ? (String) fields.get("external_id") : contactGen().externalId(i);
            int existing = conflictingUser(email, externalId, i);
            if (existing >= 0) {
                throw conflict(existing);
            }
        }
        beforeContactWrite(i, false);
        fields.forEach((k, v) -> contacts().setField(i, k, v));
        custom.forEach((k, v) -> contacts().setCustomAttribute(i, k, v));
        contacts().touch(i, now(), false);
        buildUserIndexes();
        indexUser(i);
    }

    void archiveContact(int i, boolean archived) {
        if (!contacts().present(i)) {
            throw ApiException.notFound("not_found", "User Not Found");
        }
        if (contacts().isArchived(i) != archived) {
            beforeContactWrite(i, false);
            contacts().setArchived(i, archived);
            contacts().touch(i, now(), false);
        }
    }

    void deleteContact(int i) {
        if (!contacts().present(i)) {
            throw ApiException.notFound("not_found", "User Not Found");
        }
        for (int c : contactGen().companiesOf(i)) {
            ws.adjustCompanyUsers(c, -1);
        }
        contacts().delete(i, now());
    }

    /**
     * POST /contacts/merge {from, into, skip_duplicate_validation}: the lead {@code from} merged into the user
     * {@code into}, as Intercom documents it: 400 {@code invalid_merge} when they share no email or phone and the check
     * is not skipped; the lead's events and companies move to the user, its email, phone, name and custom attributes
     * fill the user's empty ones, and the lead is gone (GET 404, out of search and lists). Intercom documents no
     * answer for a missing id, a lead as {@code into} or a user as {@code from}: the sandbox answers them 400
     * {@code parameter_not_found} / {@code parameter_invalid} and 404 "User Not Found" for unknown ids.
     */
    int merge(JsonNode body) {
        requireObject(body);
        if (!hasText(body, "from") || !hasText(body, "into")) {
            throw ApiException.badRequest("parameter_not_found", "from and into are required");
        }
        int from = SandboxIds.contactIndex(body.get("from").asText());
        int into = SandboxIds.contactIndex(body.get("into").asText());
        requireContact(from);
        requireContact(into);
        ContactGenerator g = contactGen();
        if (from == into || !"lead".equals(g.role(from))) {
            throw ApiException.badRequest("parameter_invalid", "from must be a lead");
        }
        if (!"user".equals(g.role(into))) {
            throw ApiException.badRequest("parameter_invalid", "into must be a user");
        }
        boolean duplicates = same(g.email(from), g.email(into)) || same(g.phone(from), g.phone(into));
        if (!duplicates && !body.path("skip_duplicate_validation").asBoolean(false)) {
            throw ApiException.badRequest("invalid_merge", "Contacts can only be merged when they are duplicates"
                    + " (matching email or phone). Pass skip_duplicate_validation=true to override this check.");
        }
        beforeContactWrite(into, false);
        for (String field : new String[] {"email", "phone", "name"}) {
            Object mine = field.equals("email") ? g.email(into) : field.equals("phone") ? g.phone(into)
                    : contacts().field(into, "name");
            Object theirs = field.equals("email") ? g.email(from) : field.equals("phone") ? g.phone(from)
                    : contacts().field(from, "name");
            if (mine == null && theirs != null) {
                contacts().setField(into, field, theirs);
            }
        }
        Map<String, Object> custom = g.customAttributes(into);
        g.customAttributes(from).forEach((k, v) -> {
            if (!custom.containsKey(k) || custom.get(k) == null) {
                contacts().setCustomAttribute(into, k, v);
            }
        });
        for (Event e : events.getOrDefault(from, List.of())) {
            List<Event> theirs = events.computeIfAbsent(into, k -> new ArrayList<>());
            if (theirs.stream().noneMatch(x -> x.name().equals(e.name()) && x.createdAt() == e.createdAt())) {
                theirs.add(e);
            }
        }
        events.remove(from);
        for (int c : g.companiesOf(from)) {
            attachIndex(into, c);
        }
        deleteContact(from);
        contacts().touch(into, now(), false);
        buildUserIndexes();
        indexUser(into);
        return into;
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }

    void requireContact(int i) {
        if (!contacts().exists(i)) {
            throw ApiException.notFound("not_found", "User Not Found");
        }
    }

    private Map<String, Object> contactFields(JsonNode body) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (CONTACT_STRINGS.contains(k)) {
                fields.put(k, text(k, v));
            } else if (CONTACT_TIMES.contains(k)) {
                fields.put(k, epoch(k, v));
            } else if (k.equals("owner_id")) {
                fields.put(k, v.isNull() ? null : integer(k, v));
            } else if (k.equals("unsubscribed_from_emails")) {
                if (!v.isBoolean()) {
                    throw ApiException.badRequest("parameter_invalid", "unsubscribed_from_emails must be a boolean");
                }
                fields.put(k, v.booleanValue());
            } else if (k.equals("role")) {
                String role = text(k, v);
                if (!"user".equals(role) && !"lead".equals(role)) {
                    throw ApiException.badRequest("parameter_invalid", "role must be user or lead");
                }
                fields.put(k, role);
            }
        }
        return fields;
    }

    // ------------------------------------------------------------------ custom attributes

    /** Custom attributes of a write: each must exist for the model; values are strings, numbers, booleans or null. */
    private Map<String, Object> customAttributes(JsonNode body, String model) {
        JsonNode custom = body.get("custom_attributes");
        Map<String, Object> values = new LinkedHashMap<>();
        if (custom == null || custom.isNull()) {
            return values;
        }
        if (!custom.isObject()) {
            throw ApiException.badRequest("parameter_invalid", "custom_attributes must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = custom.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!customAttributeExists(model, e.getKey())) {
                throw ApiException.badRequest("parameter_invalid", "Custom attribute '" + e.getKey() + "' does not exist");
            }
            JsonNode v = e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else if (v.isTextual()) {
                value = v.asText();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else {
                throw ApiException.badRequest("parameter_invalid", "Custom attribute '" + e.getKey()
                        + "' must be a string, number or boolean; objects and arrays are not supported");
            }
            values.put(e.getKey(), value);
        }
        return values;
    }

    boolean customAttributeExists(String model, String name) {
        return model.equals("contact")
                ? ContactGenerator.CUSTOM_ATTRIBUTES.containsKey(name) || ws.addedContactAttributes().containsKey(name)
                : CompanyGenerator.CUSTOM_ATTRIBUTES.containsKey(name) || ws.addedCompanyAttributes().containsKey(name);
    }

    /** POST /data_attributes: refusals as Intercom words them; returns the model and name created. */
    String[] createDataAttribute(JsonNode body, Set<String> contactStandard, Set<String> companyStandard) {
        requireObject(body);
        String model = body.path("model").asText(null);
        if (!"contact".equals(model) && !"company".equals(model)) {
            throw ApiException.badRequest("parameter_invalid", "The Data Attribute model field must be either contact or company");
        }
        String name = body.path("name").isTextual() ? body.get("name").asText() : null;
        if (name == null || name.isBlank() || !ATTRIBUTE_NAME.matcher(name).matches() || name.contains("$")) {
            throw ApiException.badRequest("parameter_invalid",
                    "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens");
        }
        String type = body.path("data_type").asText(null);
        if (type == null || !DATA_TYPES.contains(type)) {
            throw ApiException.badRequest("parameter_invalid", "Data Type isn't an option");
        }
        if (type.equals("options") && (!body.path("options").isArray() || body.get("options").size() < 2)) {
            throw ApiException.badRequest("parameter_invalid", "Options isn't an array of at least two options");
        }
        String target = model.equals("contact") ? "people" : "company";
        for (String existingModel : new String[] {"contact", "company"}) {
            Set<String> standard = existingModel.equals("contact") ? contactStandard : companyStandard;
            if (standard.contains(name) || customAttributeExists(existingModel, name)) {
                String where = existingModel.equals("contact") ? "people" : "company";
                throw ApiException.badRequest("parameter_invalid", "You already have '" + name + "' in your " + where
                        + " data. To save this as new " + target + " data, use a different name.");
            }
        }
        (model.equals("contact") ? ws.addedContactAttributes() : ws.addedCompanyAttributes()).put(name, type);
        return new String[] {model, name};
    }

    // ------------------------------------------------------------------ companies

    int companyByCompanyId(String companyId) {
        if (companiesByCompanyId == null) {
            companiesByCompanyId = new HashMap<>();
            for (int c = 0; c < companies().size(); c++) {
                if (companies().present(c)) {
                    companiesByCompanyId.put(companyGen().companyId(c), c);
                }
            }
        }
        Integer c = companiesByCompanyId.get(companyId);
        return c != null && companies().exists(c) ? c : -1;
    }

    /** POST /companies: updates the company with this company_id, or creates it. */
    int upsertCompany(JsonNode body) {
        requireObject(body);
        JsonNode idNode = body.get("company_id");
        if (idNode == null || idNode.isNull() || idNode.isContainerNode() || idNode.asText().isBlank()) {
            throw ApiException.badRequest("parameter_not_found", "company_id not specified");
        }
        String companyId = idNode.asText();
        Map<String, Object> fields = companyFields(body);
        Map<String, Object> custom = customAttributes(body, "company");
        int c = companyByCompanyId(companyId);
        long now = now();
        if (c < 0) {
            c = companies().append(now, now);
            companies().markCreated(c);
            companies().setField(c, "company_id", companyId);
            companiesByCompanyId.put(companyId, c);
        } else {
            companies().touch(c, now, false);
        }
        int company = c;
        fields.forEach((k, v) -> companies().setField(company, k, v));
        custom.forEach((k, v) -> companies().setCustomAttribute(company, k, v));
        return c;
    }

    /** PUT /companies/{id} (Intercom's id); the company_id itself cannot change and is ignored. */
    void updateCompany(int c, JsonNode body) {
        requireObject(body);
        requireCompany(c);
        Map<String, Object> fields = companyFields(body);
        Map<String, Object> custom = customAttributes(body, "company");
        fields.forEach((k, v) -> companies().setField(c, k, v));
        custom.forEach((k, v) -> companies().setCustomAttribute(c, k, v));
        companies().touch(c, now(), false);
    }

    /** DELETE /companies/{id}: the company goes and its contacts are detached from it. */
    void deleteCompany(int c) {
        requireCompany(c);
        companies().delete(c, now());
    }

    void requireCompany(int c) {
        if (!companies().exists(c)) {
            throw ApiException.notFound("company_not_found", "Company Not Found");
        }
    }

    private Map<String, Object> companyFields(JsonNode body) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (COMPANY_STRINGS.contains(k)) {
                fields.put(k, text(k, v));
            } else if (k.equals("size")) {
                fields.put(k, v.isNull() ? null : integer(k, v));
            } else if (k.equals("remote_created_at")) {
                fields.put(k, epoch(k, v));
            } else if (k.equals("monthly_spend")) {
                if (!v.isNull() && !v.isNumber()) {
                    throw ApiException.badRequest("parameter_invalid", "monthly_spend must be a number");
                }
                fields.put(k, v.isNull() ? null : v.isIntegralNumber() ? (Object) v.longValue() : (Object) v.doubleValue());
            }
        }
        return fields;
    }

    // ------------------------------------------------------------------ attachments

    int[] companiesOf(int contact) {
        return companiesOf.get(contact);
    }

    /** POST /contacts/{id}/companies {"id": company}: idempotent. */
    int attach(int i, JsonNode body) {
        requireContact(i);
        JsonNode idNode = body == null ? null : body.get("id");
        if (idNode == null || idNode.isNull() || idNode.asText().isBlank()) {
            throw ApiException.badRequest("parameter_not_found", "company not specified");
        }
        int c = SandboxIds.companyIndex(idNode.asText());
        requireCompany(c);
        return attachIndex(i, c);
    }

    private int attachIndex(int i, int c) {
        int[] current = contactGen().companiesOf(i);
        for (int x : current) {
            if (x == c) {
                return c;
            }
        }
        if (current.length >= MAX_COMPANIES_PER_CONTACT) {
            throw ApiException.badRequest("contact_company_limit_exceeded",
                    "Contact has reached the maximum of " + MAX_COMPANIES_PER_CONTACT + " company associations");
        }
        int[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = c;
        companiesOf.put(i, next);
        ws.adjustCompanyUsers(c, 1);
        contacts().touch(i, now(), false);
        companies().touch(c, now(), false);
        return c;
    }

    /** DELETE /contacts/{id}/companies/{company}: 404 when the company is unknown or not attached. */
    int detach(int i, String companyId) {
        requireContact(i);
        int c = SandboxIds.companyIndex(companyId);
        requireCompany(c);
        int[] current = contactGen().companiesOf(i);
        int[] next = java.util.Arrays.stream(current).filter(x -> x != c).toArray();
        if (next.length == current.length) {
            throw ApiException.notFound("company_not_found", "Company Not Found");
        }
        companiesOf.put(i, next);
        ws.adjustCompanyUsers(c, -1);
        contacts().touch(i, now(), false);
        companies().touch(c, now(), false);
        return c;
    }

    // ------------------------------------------------------------------ events

    /**
     * POST /events: the contact by Intercom id, your user_id or email (404 "User Not Found" otherwise), at most
     * ten flat metadata keys (values: string, number, or a rich link / monetary amount object). Intercom silently
     * keeps the first ten keys; the sandbox refuses the event so that a writer which lets an eleventh key through
     * is caught. Duplicates (same contact, name and created_at) are accepted and not stored.
     */
    void submitEvent(JsonNode body) {
        requireObject(body);
        String name = body.path("event_name").isTextual() ? body.get("event_name").asText() : null;
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("parameter_invalid", "event_name is required");
        }
        JsonNode created = body.get("created_at");
        if (created == null || !created.canConvertToLong()) {
            throw ApiException.badRequest("parameter_invalid", "created_at is required (UNIX seconds)");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw ApiException.badRequest("parameter_invalid", "metadata must be an object");
            }
            if (metadata.size() > MAX_EVENT_METADATA_KEYS) {
                throw ApiException.badRequest("parameter_invalid", "Event metadata has " + metadata.size()
                        + " keys; at most " + MAX_EVENT_METADATA_KEYS + " are allowed");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                boolean richLink = v.isObject() && v.size() == 2 && v.has("url") && v.has("value");
                boolean money = v.isObject() && v.size() == 2 && v.has("amount") && v.has("currency");
                if (v.isArray() || (v.isObject() && !richLink && !money)) {
                    throw ApiException.badRequest("parameter_invalid", "Event metadata '" + e.getKey()
                            + "' is nested; only rich links {url, value} and monetary amounts {amount, currency} are objects");
                }
            }
        }
        int i;
        if (hasText(body, "id")) {
            i = SandboxIds.contactIndex(body.get("id").asText());
            i = contacts().exists(i) ? i : -1;
        } else if (hasText(body, "user_id")) {
            i = userBy("external_id", body.get("user_id").asText());
        } else if (hasText(body, "email")) {
            i = userBy("email", body.get("email").asText());
        } else {
            throw ApiException.badRequest("parameter_invalid", "an event needs the contact's id, user_id or email");
        }
        if (i < 0) {
            throw ApiException.notFound("not_found", "User Not Found");
        }
        long at = created.asLong();
        List<Event> list = events.computeIfAbsent(i, k -> new ArrayList<>());
        for (Event e : list) {
            if (e.name().equals(name) && e.createdAt() == at) {
                return;
            }
        }
        list.add(new Event(name, at, metadata == null || metadata.isNull() ? null : metadata.deepCopy()));
    }

    /** Events of a contact as {@code data_event} objects, oldest first. */
    List<ObjectNode> eventsOf(int i) {
        List<ObjectNode> out = new ArrayList<>();
        if (!contacts().present(i)) {
            return out;
        }
        for (Event e : events.getOrDefault(i, List.of())) {
            ObjectNode n = SandboxWorkspace.MAPPER.createObjectNode();
            n.put("type", "event");
            n.put("event_name", e.name());
            n.put("created_at", e.createdAt());
            n.put("intercom_user_id", SandboxIds.contact(i));
            String userId = contactGen().externalId(i);
            if (userId != null) {
                n.put("user_id", userId);
            }
            String email = contactGen().email(i);
            if (email != null) {
                n.put("email", email);
            }
            if (e.metadata() != null) {
                n.set("metadata", e.metadata().deepCopy());
            }
            out.add(n);
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("parameter_invalid", "the request body must be a JSON object");
        }
    }

    private static boolean hasText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull() && !v.isContainerNode() && !v.asText().isBlank();
    }

    private static String text(String field, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw ApiException.badRequest("parameter_invalid", field + " must be a string");
        }
        return v.asText();
    }

    private static Long epoch(String field, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || !v.isNumber()) {
            throw ApiException.badRequest("parameter_invalid", field + " must be a UNIX timestamp in seconds");
        }
        return v.longValue();
    }

    private static Long integer(String field, JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException ignored) {
                // below
            }
        }
        throw ApiException.badRequest("parameter_invalid", field + " must be an integer");
    }
}
