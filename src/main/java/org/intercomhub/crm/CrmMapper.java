package org.intercomhub.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.warehouse.Identifiers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.intercomhub.fanout.RowValues.json;
import static org.intercomhub.fanout.RowValues.scalarsAnd;
import static org.intercomhub.fanout.RowValues.text;
import static org.intercomhub.fanout.RowValues.textOf;

/**
 * Gather's Intercom mapping: companies become accounts keyed by {@code company_id} with their name; contacts whose
 * role is {@code user} become users keyed by your user id (Intercom API 2.x keeps it in {@code external_id}) with
 * first_name, last_name, email, phone, city, country and timezone, linked to their companies' accounts. Leads,
 * visitors and other collections do not go to the CRM.
 */
public class CrmMapper {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The one nested JSON column {@link #map} reads. */
    private static final Set<String> MAPPED_JSON = Set.of("location");

    /** One call to make, or why there is none; {@code key}: the model and the record's key (its calls' lane). */
    public record Request(String method, String path, ObjectNode body, String skipReason, String key) {

        static Request skip(String reason) {
            return new Request(null, null, null, reason, null);
        }

        public boolean skipped() {
            return skipReason != null;
        }
    }

    private final CrmSettings settings;

    public CrmMapper(CrmSettings settings) {
        this.settings = settings;
    }

    public boolean accepts(CanonicalRecord record) {
        boolean archive = record.op() == CanonicalRecord.Operation.DELETE && Boolean.TRUE.equals(record.row().get("archived"));
        return switch (record.collection()) {
            case "companies" -> record.op() == CanonicalRecord.Operation.UPSERT;
            case "contacts" -> record.op() == CanonicalRecord.Operation.UPSERT
                    ? "user".equals(text(record.row(), "role"))
                    : settings.deleteUsers() && !archive;
            default -> false;
        };
    }

    /**
     * What the CRM branch keeps of a record in its queue: the scalar columns (what {@link #map} reads, and what a
     * step of routes/crm.camel.yaml may test as {@code ${body.row[...]}}), {@code location}, and of the child rows
     * only the contact's companies' keys. Tags, social profiles and other JSON columns are not queued.
     */
    public CanonicalRecord queued(CanonicalRecord record) {
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        List<Map<String, Object>> companies = record.children().get("contact_companies");
        if (companies != null) {
            List<Map<String, Object>> keys = new ArrayList<>(companies.size());
            for (Map<String, Object> company : companies) {
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("id", company.get("id"));
                key.put("company_id", company.get("company_id"));
                keys.add(key);
            }
            children.put("contact_companies", keys);
        }
        return new CanonicalRecord(record.collection(), record.id(), record.op(), record.source(),
                record.sourceUpdatedAt(), scalarsAnd(record.row(), MAPPED_JSON), children, record.event());
    }

    public Request map(CanonicalRecord record) {
        if (record.collection().equals("companies")) {
            String key = key(record.row(), settings.accountKeyField());
            if (key == null) {
                return Request.skip("company without " + settings.accountKeyField());
            }
            ObjectNode account = JSON.createObjectNode();
            account.put("name", text(record.row(), "name"));
            return upsert("account", key, account);
        }
        String key = key(record.row(), userKeyColumn());
        if (key == null) {
            return Request.skip("user without " + settings.userKeyField());
        }
        if (record.op() == CanonicalRecord.Operation.DELETE) {
            return new Request("DELETE", "/models/user/records/" + encode(key), null, null, "user/" + key);
        }
        return upsert("user", key, user(record));
    }

    private Request upsert(String model, String key, ObjectNode properties) {
        if (settings.mode() == CrmSettings.Mode.UPDATE_ONLY) {
            return new Request("PATCH", "/models/" + model + "/records/" + encode(key), properties, null,
                    model + "/" + key);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", key);
        body.setAll(properties);
        return new Request("POST", "/models/" + model + "/records", body, null, model + "/" + key);
    }

    ObjectNode user(CanonicalRecord record) {
        Map<String, Object> row = record.row();
        ObjectNode user = JSON.createObjectNode();
        String name = text(row, "name");
        String first = null;
        String last = null;
        if (name != null) {
            String trimmed = name.trim();
            int space = trimmed.indexOf(' ');
            first = space < 0 ? trimmed : trimmed.substring(0, space);
            last = space < 0 ? null : trimmed.substring(space + 1).trim();
        }
        user.put("first_name", first);
        user.put("last_name", last);
        user.put("email", text(row, "email"));
        user.put("phone", text(row, "phone"));
        JsonNode location = json(row, "location");
        user.put("city", textOf(location, "city"));
        user.put("country", textOf(location, "country"));
        String timezone = textOf(location, "timezone");
        user.put("timezone", timezone != null ? timezone : text(row, "custom_timezone"));
        ArrayNode accounts = user.putArray("account_ids");
        accountIds(record).forEach(accounts::add);
        return user;
    }

    /** The contact's companies, by the account key: the contact_companies rows the pull or webhook carried. */
    private Set<String> accountIds(CanonicalRecord record) {
        Set<String> ids = new LinkedHashSet<>();
        String column = settings.accountKeyField().equals("id") ? "id" : "company_id";
        for (Map<String, Object> company : record.children().getOrDefault("contact_companies", List.of())) {
            String id = text(company, column);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private String userKeyColumn() {
        return switch (settings.userKeyField()) {
            case "user_id", "external_id" -> "external_id";
            default -> settings.userKeyField();
        };
    }

    /** A column, else the flattened custom attribute of that name. */
    private static String key(Map<String, Object> row, String field) {
        String value = text(row, field);
        return value != null ? value : text(row, Identifiers.sanitize("custom_" + field));
    }

    private static String encode(String key) {
        return java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
