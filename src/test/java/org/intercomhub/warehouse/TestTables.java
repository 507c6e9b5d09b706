package org.intercomhub.warehouse;

import org.intercomhub.record.CanonicalRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A contacts table shaped like the real one, and a child table of its tags. */
final class TestTables {

    static final TableSpec CONTACTS;
    static final TableSpec CONTACT_TAGS;
    static final Map<String, TableSpec> ALL;

    static {
        Map<String, ColumnType> contacts = new LinkedHashMap<>();
        contacts.put("id", ColumnType.TEXT);
        contacts.put("role", ColumnType.TEXT);
        contacts.put("email", ColumnType.TEXT);
        contacts.put("name", ColumnType.TEXT);
        contacts.put("created_at", ColumnType.TIMESTAMP);
        contacts.put("updated_at", ColumnType.TIMESTAMP);
        contacts.put("session_count", ColumnType.BIGINT);
        contacts.put("score", ColumnType.DOUBLE);
        contacts.put("unsubscribed_from_emails", ColumnType.BOOLEAN);
        contacts.put("location", ColumnType.JSON);
        contacts.put("custom_attributes", ColumnType.JSON);
        CONTACTS = new TableSpec("contacts", List.of("id"), contacts, null);

        Map<String, ColumnType> tags = new LinkedHashMap<>();
        tags.put("contact_id", ColumnType.TEXT);
        tags.put("tag_id", ColumnType.TEXT);
        tags.put("name", ColumnType.TEXT);
        CONTACT_TAGS = new TableSpec("contact_tags", List.of("contact_id", "tag_id"), tags, "contact_id");

        ALL = Map.of("contacts", CONTACTS, "contact_tags", CONTACT_TAGS);
    }

    private TestTables() {
    }

    static CanonicalRecord contact(String id, long version, Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>(row);
        values.putIfAbsent("updated_at", version);
        return CanonicalRecord.upsert("contacts", id, CanonicalRecord.Source.PULL, version, values, Map.of());
    }

    static CanonicalRecord contactWithTags(String id, long version, String... tagNames) {
        List<Map<String, Object>> tags = java.util.Arrays.stream(tagNames)
                .map(name -> Map.<String, Object>of("tag_id", "t_" + name, "name", name)).toList();
        return CanonicalRecord.upsert("contacts", id, CanonicalRecord.Source.WEBHOOK, version,
                Map.of("role", "user", "name", "v" + version), Map.of("contact_tags", tags));
    }
}
