package org.intercomhub.warehouse;

import java.util.List;
import java.util.Map;

/**
 * A warehouse table: its key columns and its documented, typed columns. Metadata columns ({@code _synced_at},
 * {@code _source}, {@code _source_updated_at}, {@code _deleted}) are added by the writer to every table; columns a
 * record brings that are not listed here (flattened custom attributes) are added when first seen.
 *
 * @param name        table name (already safe: chosen by the project, not by data)
 * @param keyColumns  primary key, in order; for a child table the parent key column comes first
 * @param columns     every column including the key columns, name to type, in table order
 * @param parentKey   for a child table, the column holding the parent's id (its rows are replaced per parent);
 *                    null for a top-level table
 */
public record TableSpec(String name, List<String> keyColumns, Map<String, ColumnType> columns, String parentKey) {

    public boolean isChild() {
        return parentKey != null;
    }
}
