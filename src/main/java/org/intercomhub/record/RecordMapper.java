package org.intercomhub.record;

import com.fasterxml.jackson.databind.JsonNode;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.warehouse.ColumnType;
import org.intercomhub.warehouse.Identifiers;
import org.intercomhub.warehouse.TableSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one Intercom object (as the API returns it) into a {@link CanonicalRecord}: documented fields become typed
 * columns, nested objects JSON, {@code custom_attributes} both JSON and flattened {@code custom_*} columns, nested
 * lists rows of their child tables. Pulls and webhooks both come through here, so a record reads the same whichever
 * way it arrived.
 */
public final class RecordMapper {

    /** Field the pull puts on a contact after reading its notes in full; never a column. */
    public static final String FETCHED_NOTES = "_hub_notes";

    private static final Set<String> NEVER_COLUMNS = Set.of("type", "conversation_parts", FETCHED_NOTES);
    /** data_attributes' {@code model} → the table its attributes are columns of. */
    private static final Map<String, String> TABLE_OF_MODEL = Map.of("contact", "contacts", "company", "companies",
            "conversation", "conversations");

    private final AttributeColumns attributeColumns;

    public RecordMapper(AttributeColumns attributeColumns) {
        this.attributeColumns = attributeColumns;
    }

    /** A mapper whose custom-attribute columns are assigned in this process only (no warehouse is written). */
    public RecordMapper() {
        this(AttributeColumns.inProcess());
    }

    public CanonicalRecord toRecord(String table, JsonNode item, Source source) {
        TableSpec spec = WarehouseTables.get(table);
        String id = idOf(table, item);
        Map<String, Object> row = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (NEVER_COLUMNS.contains(name)) {
                continue;
            }
            ColumnType declared = spec.columns().get(name);
            String column = declared != null ? name : Identifiers.sanitize(name);
            row.put(column, JsonValues.toColumnValue(name, field.getValue(), declared));
            if (name.equals("custom_attributes")) {
                flattenCustomAttributes(table, field.getValue(), row);
            }
        }
        row.put("id", id);
        if (table.equals("data_attributes")) {
            row.put("warehouse_column", warehouseColumnOf(item));
        }
        Map<String, List<Map<String, Object>>> children = switch (table) {
            case "contacts" -> contactChildren(id, item);
            case "companies" -> companyChildren(id, item);
            case "conversations" -> conversationChildren(id, item, row);
            default -> Map.of();
        };
        return CanonicalRecord.upsert(table, id, source, JsonValues.epochSeconds(item.get("updated_at")), row, children);
    }

    /** Data attributes have no id of their own for standard attributes: model plus name is what identifies them. */
    static String idOf(String table, JsonNode item) {
        if (table.equals("data_attributes")) {
            return item.path("model").asText() + "." + item.path("name").asText();
        }
        JsonNode id = item.get("id");
        if (id == null || id.isNull()) {
            throw new IllegalArgumentException(table + " record without an id");
        }
        return id.asText();
    }

    private void flattenCustomAttributes(String table, JsonNode attributes, Map<String, Object> row) {
        if (attributes == null || !attributes.isObject()) {
            return;
        }
        attributes.fields().forEachRemaining(attribute -> row.put(
                attributeColumns.columnFor(table, attribute.getKey()),
                JsonValues.toColumnValue(attribute.getKey(), attribute.getValue(), null)));
    }

    /** Where a data attribute's values are in the warehouse: its custom_* column, or the standard column. */
    private String warehouseColumnOf(JsonNode attribute) {
        String table = TABLE_OF_MODEL.get(attribute.path("model").asText());
        String name = attribute.path("name").asText("");
        if (table == null || name.isEmpty()) {
            return null;
        }
        if (attribute.path("custom").asBoolean(false)) {
            return attributeColumns.columnFor(table, name);
        }
        return WarehouseTables.get(table).columns().containsKey(name) ? name : null;
    }

    private Map<String, List<Map<String, Object>>> contactChildren(String contactId, JsonNode contact) {
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        completeList(contact.get("tags")).ifPresent(tags ->
                children.put("contact_tags", childRows("contact_tags", "contact_id", contactId, tags)));
        completeList(contact.get("companies")).ifPresent(companies ->
                children.put("contact_companies", childRows("contact_companies", "contact_id", contactId, companies)));
        completeList(contact.get("social_profiles")).ifPresent(profiles -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode profile : profiles) {
                Map<String, Object> row = childRow("social_profiles", "contact_id", contactId, profile);
                // social profiles have no id: the service and the URL together identify one
                row.put("id", profile.path("name").asText("") + ":" + profile.path("url").asText(""));
                rows.add(row);
            }
            children.put("social_profiles", rows);
        });
        JsonNode notes = contact.get(FETCHED_NOTES);
        if (notes != null && notes.isArray()) {
            List<Map<String, Object>> rows = childRows("notes", "contact_id", contactId, notes);
            for (int i = 0; i < rows.size(); i++) {
                rows.get(i).put("author_id", notes.get(i).path("author").path("id").asText(null));
            }
            children.put("notes", rows);
        }
        return children;
    }

    private Map<String, List<Map<String, Object>>> companyChildren(String companyId, JsonNode company) {
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        JsonNode segments = company.path("segments").get("segments");
        if (segments != null && segments.isArray()) {
            children.put("company_segments", childRows("company_segments", "company_id", companyId, segments));
        }
        JsonNode tags = company.path("tags").get("tags");
        if (tags != null && tags.isArray()) {
            children.put("company_tags", childRows("company_tags", "company_id", companyId, tags));
        }
        return children;
    }

    private Map<String, List<Map<String, Object>>> conversationChildren(String conversationId, JsonNode conversation,
                                                                        Map<String, Object> row) {
        JsonNode partList = conversation.get("conversation_parts");
        if (partList == null || !partList.has("conversation_parts")) {
            return Map.of(); // list and search items carry no parts: leave the stored ones alone
        }
        JsonNode parts = partList.get("conversation_parts");
        row.put("parts_total_count", partList.path("total_count").asLong(parts.size()));
        row.put("parts_stored_count", (long) parts.size());
        return Map.of("conversation_parts", childRows("conversation_parts", "conversation_id", conversationId, parts));
    }

    /** The items of a nested list, only when they are all there: a partial list must not replace stored rows. */
    private static java.util.Optional<JsonNode> completeList(JsonNode list) {
        if (list == null || !list.isObject() || !list.path("data").isArray()) {
            return java.util.Optional.empty();
        }
        if (list.path("has_more").asBoolean(false)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(list.get("data"));
    }

    private static List<Map<String, Object>> childRows(String table, String parentKey, String parentId, JsonNode items) {
        List<Map<String, Object>> rows = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            rows.add(childRow(table, parentKey, parentId, item));
        }
        return rows;
    }

    private static Map<String, Object> childRow(String table, String parentKey, String parentId, JsonNode item) {
        TableSpec spec = WarehouseTables.get(table);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(parentKey, parentId);
        spec.columns().forEach((column, type) -> {
            if (!column.equals(parentKey) && item.has(column)) {
                row.put(column, JsonValues.toColumnValue(column, item.get(column), type));
            }
        });
        return row;
    }

    static Instant instant(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds);
    }
}
