package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.intercomhub.sandbox.SeededRandom.below;
import static org.intercomhub.sandbox.SeededRandom.chance;
import static org.intercomhub.sandbox.SeededRandom.pick;

/** Renders contact i (shape of the OpenAPI {@code contact} schema) from (seed, index, version). */
final class ContactGenerator {

    /** Generated custom attributes and their Intercom data types: one of every type, date as UNIX seconds. */
    static final Map<String, String> CUSTOM_ATTRIBUTES = orderedMap(
            "plan", "string", "seats", "integer", "monthly_spend", "float", "beta_tester", "boolean",
            "trial_ends_at", "date", "referral_code", "string");

    /** Nested tags/notes/companies lists show at most this many items (Intercom: "Up to 10 will be displayed"). */
    static final int NESTED_LIST_LIMIT = 10;

    /** Names folded to ASCII once, for e-mail addresses and handles. */
    private static final String[] ASCII_FIRST = asciiAll(SampleWords.FIRST_NAMES);
    private static final String[] ASCII_LAST = asciiAll(SampleWords.LAST_NAMES);

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final long seed;

    ContactGenerator(SandboxWorkspace ws) {
        this.ws = ws;
        this.table = ws.contactsTable();
        this.seed = ws.seed();
    }

    private long h(int i, int salt) {
        return SeededRandom.hash(seed, SeededRandom.CONTACT, i, salt);
    }

    // ------------------------------------------------------------ searchable fields

    String role(int i) {
        if (table.hasField(i, "role")) return (String) table.field(i, "role");
        return chance(h(i, 10), 70) ? "user" : "lead";
    }

    String email(int i) {
        if (table.hasField(i, "email")) return (String) table.field(i, "email");
        return pick(h(i, 11), ASCII_FIRST) + "." + pick(h(i, 12), ASCII_LAST) + "." + i + "@example.com";
    }

    /** The name changes with every mutation (version) of the record, unless it was written through the API. */
    String name(int i) {
        if (table.hasField(i, "name")) return (String) table.field(i, "name");
        int v = table.version(i);
        return pick(SeededRandom.hash(seed, SeededRandom.CONTACT, i, 11 + 1000 * v), SampleWords.FIRST_NAMES) + " "
                + pick(h(i, 12), SampleWords.LAST_NAMES) + (v == 0 ? "" : " (v" + v + ")");
    }

    String phone(int i) {
        return (String) written(i, "phone", chance(h(i, 40), 50) ? "+1555" + (1_000_000 + below(h(i, 41), 8_999_999))
                : null);
    }

    String externalId(int i) {
        if (table.hasField(i, "external_id")) return (String) table.field(i, "external_id");
        return "user".equals(role(i)) ? "user-" + i : null;
    }

    Long signedUpAt(int i) {
        if (table.hasField(i, "signed_up_at")) return (Long) table.field(i, "signed_up_at");
        return "user".equals(role(i)) && !table.isCreated(i) ? table.createdAt(i) : null;
    }

    Long lastSeenAt(int i) {
        if (table.hasField(i, "last_seen_at")) return (Long) table.field(i, "last_seen_at");
        return !table.isCreated(i) && chance(h(i, 13), 85) ? between(i, 14) : null;
    }

    /** A standard field as written through the API, else the generated value. */
    private Object written(int i, String field, Object generated) {
        return table.hasField(i, field) ? table.field(i, field) : generated;
    }

    private long between(int i, int salt) {
        long created = table.createdAt(i);
        long updated = table.updatedAt(i);
        return created + SeededRandom.belowLong(h(i, salt), Math.max(1, updated - created + 1));
    }

    // ------------------------------------------------------------ relations

    /** Every 50th contact has 13 tags (more than the nested limit of 10); the rest 0 to 3. */
    int[] tagsOf(int i) {
        int tagCount = ws.config().tags();
        if (tagCount == 0 || table.isCreated(i)) {
            return new int[0];
        }
        int n = i % 50 == 7 ? 13 : below(h(i, 20), 4);
        return distinctRun(n, tagCount, below(h(i, 21), tagCount), null);
    }

    /**
     * Every 97th contact belongs to 12 companies; leads to none; other users to 1 or 2. Attachments and
     * detachments through the API replace the generated list; deleted companies drop out.
     */
    int[] companiesOf(int i) {
        int[] written = ws.writtenCompaniesOf(i);
        int[] all = written != null ? written : generatedCompaniesOf(i);
        RecordTable companies = ws.companiesTable();
        int live = 0;
        for (int c : all) {
            if (companies.present(c)) live++;
        }
        if (live == all.length) {
            return all;
        }
        int[] out = new int[live];
        int k = 0;
        for (int c : all) {
            if (companies.present(c)) out[k++] = c;
        }
        return out;
    }

    /** The companies a contact was generated with (what the workspace's user counts start from). */
    int[] generatedCompaniesOf(int i) {
        int[] populated = ws.populatedCompanies();
        if (table.isCreated(i)) {
            return new int[0];
        }
        if (populated.length == 0 || "lead".equals(role(i))) {
            return new int[0];
        }
        int n = i % 97 == 11 ? 12 : 1 + below(h(i, 22), 2);
        return distinctRun(n, populated.length, below(h(i, 23), populated.length), populated);
    }

    /** 0 to 3 notes per contact. */
    int notesCount(int i) { return table.isCreated(i) ? 0 : below(h(i, 24), 4); }

    private static int[] distinctRun(int n, int of, int start, int[] mapping) {
        int count = Math.min(n, of);
        int[] result = new int[count];
        for (int k = 0; k < count; k++) {
            int pos = (start + k) % of;
            result[k] = mapping == null ? pos : mapping[pos];
        }
        return result;
    }

    // ------------------------------------------------------------ custom attributes

    boolean isGeneratedAttribute(String name) { return CUSTOM_ATTRIBUTES.containsKey(name); }

    /** Generated values (varying with the version) overlaid by values set through the workspace. */
    Map<String, Object> customAttributes(int i) {
        if (table.isCreated(i)) {
            return new LinkedHashMap<>(table.customOverlay(i));
        }
        int v = table.version(i);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", pick(SeededRandom.hash(seed, SeededRandom.CONTACT, i, 30 + 1000 * v), SampleWords.PLANS));
        m.put("seats", 1 + below(h(i, 31), 50) + v);
        m.put("monthly_spend", below(h(i, 32), 100_000) / 100.0);
        m.put("beta_tester", chance(h(i, 33), 30));
        m.put("trial_ends_at", table.createdAt(i) + 14 * 86_400L);
        m.put("referral_code", chance(h(i, 34), 40) ? "REF-" + Long.toString(h(i, 35) >>> 40, 36).toUpperCase() : null);
        m.putAll(table.customOverlay(i));
        return m;
    }

    // ------------------------------------------------------------ JSON

    void write(JsonGenerator g, int i) throws IOException {
        if (table.isCreated(i)) {
            writeCreated(g, i);
            return;
        }
        String id = SandboxIds.contact(i);
        String role = role(i);
        g.writeStartObject();
        g.writeStringField("type", "contact");
        g.writeStringField("id", id);
        g.writeStringField("workspace_id", ws.config().appId());
        Json.stringOrNull(g, "external_id", externalId(i));
        g.writeStringField("role", role);
        writeEmail(g, email(i));
        Json.stringOrNull(g, "phone", phone(i));
        Json.stringOrNull(g, "name", name(i));
        if (table.hasField(i, "avatar")) {
            writeAvatar(g, (String) table.field(i, "avatar"));
        } else if (chance(h(i, 42), 60)) {
            g.writeObjectFieldStart("avatar");
            g.writeStringField("type", "avatar");
            g.writeStringField("image_url", "https://static.example.com/avatars/" + i + ".png");
            g.writeEndObject();
        } else {
            g.writeNullField("avatar");
        }
        Json.longOrNull(g, "owner_id", (Long) written(i, "owner_id",
                chance(h(i, 43), 70) ? SandboxIds.adminNumber(below(h(i, 44), ws.config().admins())) : null));
        writeSocialProfiles(g, i);
        g.writeBooleanField("has_hard_bounced", chance(h(i, 45), 3));
        g.writeBooleanField("marked_email_as_spam", chance(h(i, 46), 2));
        g.writeBooleanField("unsubscribed_from_emails", (Boolean) written(i, "unsubscribed_from_emails", chance(h(i, 47), 10)));
        g.writeNumberField("created_at", table.createdAt(i));
        g.writeNumberField("updated_at", table.updatedAt(i));
        Json.longOrNull(g, "signed_up_at", signedUpAt(i));
        Json.longOrNull(g, "last_seen_at", lastSeenAt(i));
        Json.longOrNull(g, "last_replied_at", chance(h(i, 48), 40) ? between(i, 49) : null);
        Json.longOrNull(g, "last_contacted_at", chance(h(i, 50), 50) ? between(i, 51) : null);
        Json.longOrNull(g, "last_email_opened_at", chance(h(i, 52), 30) ? between(i, 53) : null);
        Json.longOrNull(g, "last_email_clicked_at", chance(h(i, 54), 15) ? between(i, 55) : null);
        Json.stringOrNull(g, "language_override", chance(h(i, 56), 10) ? pick(h(i, 57), SampleWords.LANGUAGES) : null);
        g.writeStringField("browser", pick(h(i, 58), SampleWords.BROWSERS));
        g.writeStringField("browser_version", (80 + below(h(i, 59), 40)) + ".0." + below(h(i, 60), 5000));
        g.writeStringField("browser_language", pick(h(i, 61), SampleWords.LANGUAGES));
        g.writeStringField("os", pick(h(i, 62), SampleWords.OSES));
        writeLocation(g, i);
        boolean android = chance(h(i, 63), 15);
        Json.stringOrNull(g, "android_app_name", android ? "Sandbox" : null);
        Json.stringOrNull(g, "android_app_version", android ? "5." + below(h(i, 64), 10) : null);
        Json.stringOrNull(g, "android_device", android ? "Pixel 8" : null);
        Json.stringOrNull(g, "android_os_version", android ? "14" : null);
        Json.stringOrNull(g, "android_sdk_version", android ? "15.4.0" : null);
        Json.longOrNull(g, "android_last_seen_at", android ? between(i, 65) : null);
        boolean ios = !android && chance(h(i, 66), 15);
        Json.stringOrNull(g, "ios_app_name", ios ? "Sandbox" : null);
        Json.stringOrNull(g, "ios_app_version", ios ? "5." + below(h(i, 67), 10) : null);
        Json.stringOrNull(g, "ios_device", ios ? "iPhone 15" : null);
        Json.stringOrNull(g, "ios_os_version", ios ? "17.1" : null);
        Json.stringOrNull(g, "ios_sdk_version", ios ? "16.0.0" : null);
        Json.longOrNull(g, "ios_last_seen_at", ios ? between(i, 68) : null);
        writeAttributesAndLists(g, i, id);
        Json.stringOrNull(g, "utm_campaign", chance(h(i, 69), 20) ? "spring-launch" : null);
        Json.stringOrNull(g, "utm_source", chance(h(i, 69), 20) ? "newsletter" : null);
        Json.stringOrNull(g, "referrer", chance(h(i, 70), 30) ? "https://www.example.org/blog" : null);
        g.writeBooleanField("enabled_push_messaging", ios || android);
        g.writeEndObject();
    }

    /**
     * A contact created through the API: what was written, Intercom's defaults for the rest (no device, location,
     * tags or notes), the companies it was attached to and only the custom attributes that were set.
     */
    private void writeCreated(JsonGenerator g, int i) throws IOException {
        String id = SandboxIds.contact(i);
        g.writeStartObject();
        g.writeStringField("type", "contact");
        g.writeStringField("id", id);
        g.writeStringField("workspace_id", ws.config().appId());
        Json.stringOrNull(g, "external_id", externalId(i));
        g.writeStringField("role", role(i));
        writeEmail(g, email(i));
        Json.stringOrNull(g, "phone", (String) table.field(i, "phone"));
        Json.stringOrNull(g, "name", name(i));
        if (table.field(i, "avatar") != null) {
            writeAvatar(g, (String) table.field(i, "avatar"));
        } else {
            g.writeNullField("avatar");
        }
        Json.longOrNull(g, "owner_id", (Long) table.field(i, "owner_id"));
        g.writeObjectFieldStart("social_profiles");
        g.writeStringField("type", "list");
        g.writeArrayFieldStart("data");
        g.writeEndArray();
        g.writeEndObject();
        g.writeBooleanField("has_hard_bounced", false);
        g.writeBooleanField("marked_email_as_spam", false);
        g.writeBooleanField("unsubscribed_from_emails", Boolean.TRUE.equals(table.field(i, "unsubscribed_from_emails")));
        g.writeNumberField("created_at", table.createdAt(i));
        g.writeNumberField("updated_at", table.updatedAt(i));
        Json.longOrNull(g, "signed_up_at", signedUpAt(i));
        Json.longOrNull(g, "last_seen_at", lastSeenAt(i));
        for (String f : new String[] {"last_replied_at", "last_contacted_at", "last_email_opened_at",
                "last_email_clicked_at", "language_override", "browser", "browser_version", "browser_language", "os"}) {
            g.writeNullField(f);
        }
        g.writeObjectFieldStart("location");
        g.writeStringField("type", "location");
        for (String f : new String[] {"country", "region", "city", "country_code", "continent_code"}) {
            g.writeNullField(f);
        }
        g.writeEndObject();
        for (String os : new String[] {"android", "ios"}) {
            for (String f : new String[] {"_app_name", "_app_version", "_device", "_os_version", "_sdk_version", "_last_seen_at"}) {
                g.writeNullField(os + f);
            }
        }
        writeAttributesAndLists(g, i, id);
        g.writeNullField("utm_campaign");
        g.writeNullField("utm_source");
        g.writeNullField("referrer");
        g.writeBooleanField("enabled_push_messaging", false);
        g.writeEndObject();
    }

    private static void writeEmail(JsonGenerator g, String email) throws IOException {
        Json.stringOrNull(g, "email", email);
        Json.stringOrNull(g, "email_domain", email == null || email.indexOf('@') < 0 ? null
                : email.substring(email.indexOf('@') + 1));
    }

    private static void writeAvatar(JsonGenerator g, String url) throws IOException {
        if (url == null) {
            g.writeNullField("avatar");
            return;
        }
        g.writeObjectFieldStart("avatar");
        g.writeStringField("type", "avatar");
        g.writeStringField("image_url", url);
        g.writeEndObject();
    }

    private void writeSocialProfiles(JsonGenerator g, int i) throws IOException {
        g.writeObjectFieldStart("social_profiles");
        g.writeStringField("type", "list");
        g.writeArrayFieldStart("data");
        int n = below(h(i, 80), 3);
        String handle = pick(h(i, 11), ASCII_FIRST) + i;
        String[][] networks = {{"Twitter", "https://twitter.com/"}, {"LinkedIn", "https://www.linkedin.com/in/"}};
        for (int k = 0; k < n; k++) {
            g.writeStartObject();
            g.writeStringField("type", "social_profile");
            g.writeStringField("name", networks[k][0]);
            g.writeStringField("url", networks[k][1] + handle);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeLocation(JsonGenerator g, int i) throws IOException {
        g.writeObjectFieldStart("location");
        g.writeStringField("type", "location");
        if (chance(h(i, 81), 90)) {
            String[] loc = pick(h(i, 82), SampleWords.LOCATIONS);
            g.writeStringField("country", loc[0]);
            g.writeStringField("region", loc[1]);
            g.writeStringField("city", loc[2]);
            g.writeStringField("country_code", loc[3]);
            g.writeStringField("continent_code", loc[4]);
        } else {
            g.writeNullField("country");
            g.writeNullField("region");
            g.writeNullField("city");
            g.writeNullField("country_code");
            g.writeNullField("continent_code");
        }
        g.writeEndObject();
    }

    private void writeTagRefs(JsonGenerator g, int i, String id) throws IOException {
        int[] tags = tagsOf(i);
        startRefList(g, "tags");
        for (int k = 0; k < Math.min(tags.length, NESTED_LIST_LIMIT); k++) {
            writeRef(g, "tag", SandboxIds.tag(tags[k]), "/tags/" + SandboxIds.tag(tags[k]));
        }
        endRefList(g, "/contacts/" + id + "/tags", tags.length);
    }

    private void writeNoteRefs(JsonGenerator g, int i, String id) throws IOException {
        int n = notesCount(i);
        startRefList(g, "notes");
        for (int k = 0; k < Math.min(n, NESTED_LIST_LIMIT); k++) {
            writeRef(g, "note", noteId(i, k), "/notes/" + noteId(i, k));
        }
        endRefList(g, "/contacts/" + id + "/notes", n);
    }

    private void writeCompanyRefs(JsonGenerator g, int i, String id) throws IOException {
        int[] companies = companiesOf(i);
        startRefList(g, "companies");
        for (int k = 0; k < Math.min(companies.length, NESTED_LIST_LIMIT); k++) {
            String cid = SandboxIds.company(companies[k]);
            writeRef(g, "company", cid, "/companies/" + cid);
        }
        endRefList(g, "/contacts/" + id + "/companies", companies.length);
    }

    /** What generated and written contacts share: custom attributes, tag/note/company lists, subscriptions. */
    private void writeAttributesAndLists(JsonGenerator g, int i, String id) throws IOException {
        g.writeFieldName("custom_attributes");
        Json.writeMap(g, customAttributes(i));
        writeTagRefs(g, i, id);
        writeNoteRefs(g, i, id);
        writeCompanyRefs(g, i, id);
        writeEmptyRefList(g, "opted_out_subscription_types");
        writeEmptyRefList(g, "opted_in_subscription_types");
    }

    private static void writeEmptyRefList(JsonGenerator g, String field) throws IOException {
        startRefList(g, field);
        g.writeEndArray();
        g.writeStringField("url", "");
        g.writeNumberField("total_count", 0);
        g.writeBooleanField("has_more", false);
        g.writeEndObject();
    }

    private static void startRefList(JsonGenerator g, String field) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("type", "list");
        g.writeArrayFieldStart("data");
    }

    private static void endRefList(JsonGenerator g, String url, int total) throws IOException {
        g.writeEndArray();
        g.writeStringField("url", url);
        g.writeNumberField("total_count", total);
        g.writeBooleanField("has_more", total > NESTED_LIST_LIMIT);
        g.writeEndObject();
    }

    private static void writeRef(JsonGenerator g, String type, String id, String url) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeStringField("id", id);
        g.writeStringField("url", url);
        g.writeEndObject();
    }

    /** A tag as {@code GET /contacts/{id}/tags} lists it, with when and by whom it was applied. */
    void writeAppliedTag(JsonGenerator g, int i, int tag) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "tag");
        g.writeStringField("id", SandboxIds.tag(tag));
        g.writeStringField("name", ws.referenceData().tagName(tag));
        g.writeNumberField("applied_at", between(i, 90 + tag));
        g.writeObjectFieldStart("applied_by");
        g.writeStringField("type", "admin");
        g.writeStringField("id", SandboxIds.admin(below(h(i, 91), ws.config().admins())));
        g.writeEndObject();
        g.writeEndObject();
    }

    static String noteId(int contact, int k) {
        return Long.toString(3_000_000L + contact * 4L + k);
    }

    void writeNote(JsonGenerator g, int i, int k) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "note");
        g.writeStringField("id", noteId(i, k));
        g.writeNumberField("created_at", between(i, 100 + k));
        g.writeObjectFieldStart("contact");
        g.writeStringField("type", "contact");
        g.writeStringField("id", SandboxIds.contact(i));
        g.writeEndObject();
        g.writeFieldName("author");
        ws.referenceData().writeAdmin(g, below(h(i, 110 + k), ws.config().admins()));
        g.writeStringField("body", "<p>Call note " + (k + 1) + ": " + pick(h(i, 120 + k), SampleWords.MESSAGES) + "</p>");
        g.writeEndObject();
    }

    private static String[] asciiAll(String[] names) {
        String[] out = new String[names.length];
        for (int k = 0; k < names.length; k++) {
            out[k] = ascii(names[k]);
        }
        return out;
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
                .replaceAll("[^A-Za-z]", "").toLowerCase();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put(kv[k], kv[k + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    static Set<String> generatedAttributeNames() { return CUSTOM_ATTRIBUTES.keySet(); }
}
