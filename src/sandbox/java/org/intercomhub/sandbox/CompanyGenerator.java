package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.intercomhub.sandbox.SeededRandom.below;
import static org.intercomhub.sandbox.SeededRandom.chance;
import static org.intercomhub.sandbox.SeededRandom.pick;

/** Renders company c (shape of the OpenAPI {@code company} schema) from (seed, index, version). */
final class CompanyGenerator {

    static final Map<String, String> CUSTOM_ATTRIBUTES = Map.of(
            "tier", "string", "founded_year", "integer", "arr", "float", "enterprise", "boolean",
            "renewal_at", "date", "account_manager", "string");

    private final SandboxWorkspace ws;
    private final RecordTable table;
    private final long seed;

    CompanyGenerator(SandboxWorkspace ws) {
        this.ws = ws;
        this.table = ws.companiesTable();
        this.seed = ws.seed();
    }

    private long h(int c, int salt) {
        return SeededRandom.hash(seed, SeededRandom.COMPANY, c, salt);
    }

    String name(int c) {
        if (table.hasField(c, "name")) return (String) table.field(c, "name");
        int v = table.version(c);
        return pick(SeededRandom.hash(seed, SeededRandom.COMPANY, c, 10 + 1000 * v), SampleWords.COMPANY_WORDS) + " "
                + pick(h(c, 11), SampleWords.COMPANY_SUFFIXES) + " #" + (c + 1);
    }

    /** Your id of the company: {@code company-<n>} for generated ones, as written for created ones. */
    String companyId(int c) {
        return table.hasField(c, "company_id") ? (String) table.field(c, "company_id") : "company-" + (c + 1);
    }

    /** Companies without users never made a request; the others between creation and their last update. */
    Long lastRequestAt(int c) {
        if (ws.companyUserCount(c) == 0 || table.isCreated(c)) {
            return null;
        }
        long created = table.createdAt(c);
        return created + SeededRandom.belowLong(h(c, 12), Math.max(1, table.updatedAt(c) - created + 1));
    }

    int[] segmentsOf(int c) {
        int segments = ws.config().segments();
        if (segments == 0 || table.isCreated(c)) {
            return new int[0];
        }
        int n = Math.min(segments, below(h(c, 13), 3));
        int start = below(h(c, 14), segments);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = (start + k) % segments;
        }
        return out;
    }

    int[] tagsOf(int c) {
        int tags = ws.config().tags();
        if (tags == 0 || table.isCreated(c)) {
            return new int[0];
        }
        int n = Math.min(tags, below(h(c, 15), 3));
        int start = below(h(c, 16), tags);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = (start + k) % tags;
        }
        return out;
    }

    private Object written(int c, String field, Object generated) {
        return table.hasField(c, field) ? table.field(c, field) : generated;
    }

    void write(JsonGenerator g, int c) throws IOException {
        int v = table.version(c);
        g.writeStartObject();
        g.writeStringField("type", "company");
        g.writeStringField("id", SandboxIds.company(c));
        g.writeStringField("name", name(c));
        g.writeStringField("app_id", ws.config().appId());
        g.writeStringField("company_id", companyId(c));
        boolean created = table.isCreated(c);
        Json.longOrNull(g, "remote_created_at", (Long) written(c, "remote_created_at",
                created ? null : table.createdAt(c) - 86_400L * below(h(c, 17), 400)));
        g.writeNumberField("created_at", table.createdAt(c));
        g.writeNumberField("updated_at", table.updatedAt(c));
        Json.longOrNull(g, "last_request_at", lastRequestAt(c));
        Json.longOrNull(g, "size", (Long) written(c, "size", created ? null : (long) (1 + below(h(c, 18), 5000))));
        Json.stringOrNull(g, "website", (String) written(c, "website",
                created ? null : "https://www.company-" + (c + 1) + ".example.com"));
        Json.stringOrNull(g, "industry", (String) written(c, "industry", created ? null : pick(h(c, 19), SampleWords.INDUSTRIES)));
        Object spend = written(c, "monthly_spend",
                created ? 0L : (long) below(SeededRandom.hash(seed, SeededRandom.COMPANY, c, 20 + 1000 * v), 50_000));
        g.writeFieldName("monthly_spend");
        Json.writeValue(g, spend == null ? 0L : spend);
        g.writeNumberField("session_count", created ? 0 : ws.companyUserCount(c) * (1 + below(h(c, 21), 40)));
        g.writeNumberField("user_count", ws.companyUserCount(c));
        g.writeObjectFieldStart("plan");
        if (table.hasField(c, "plan") || created) {
            String planName = (String) table.field(c, "plan");
            if (planName != null) {
                g.writeStringField("type", "plan");
                g.writeStringField("id", Integer.toString(200 + Math.floorMod(planName.hashCode(), 800)));
                g.writeStringField("name", planName);
            }
        } else {
            int plan = below(h(c, 22), SampleWords.PLANS.length);
            g.writeStringField("type", "plan");
            g.writeStringField("id", Integer.toString(100 + plan));
            g.writeStringField("name", SampleWords.PLANS[plan]);
        }
        g.writeEndObject();
        g.writeFieldName("custom_attributes");
        Map<String, Object> custom = new LinkedHashMap<>();
        if (!created) {
            custom.put("tier", v % 2 == 0 ? "standard" : "priority");
            custom.put("founded_year", 1950 + below(h(c, 23), 74));
            custom.put("arr", below(h(c, 24), 10_000_000) / 10.0);
            custom.put("enterprise", chance(h(c, 25), 20));
            custom.put("renewal_at", table.createdAt(c) + 365 * 86_400L);
            custom.put("account_manager", chance(h(c, 26), 50) ? null : "am-" + below(h(c, 27), 9));
        }
        custom.putAll(table.customOverlay(c));
        Json.writeMap(g, custom);
        g.writeObjectFieldStart("tags");
        g.writeStringField("type", "tag.list");
        g.writeArrayFieldStart("tags");
        for (int t : tagsOf(c)) {
            ws.referenceData().writeTag(g, t);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeObjectFieldStart("segments");
        g.writeStringField("type", "segment.list");
        g.writeArrayFieldStart("segments");
        for (int s : segmentsOf(c)) {
            ws.referenceData().writeSegment(g, s, false, 0);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}
