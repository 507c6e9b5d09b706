package org.intercomhub.warehouse;

import java.util.LinkedHashMap;
import java.util.Map;

/** The bookkeeping columns the writer adds to every table. Their names start with {@code _}, which sanitized data
 * names never do, so a custom attribute cannot collide with them. */
public final class MetadataColumns {

    public static final String SYNCED_AT = "_synced_at";
    public static final String SOURCE = "_source";
    public static final String SOURCE_UPDATED_AT = "_source_updated_at";
    public static final String DELETED = "_deleted";

    /** In table order; {@link #DELETED} is created {@code NOT NULL DEFAULT false}. */
    public static final Map<String, ColumnType> TYPES;

    static {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        types.put(SYNCED_AT, ColumnType.TIMESTAMP);
        types.put(SOURCE, ColumnType.TEXT);
        types.put(SOURCE_UPDATED_AT, ColumnType.BIGINT);
        types.put(DELETED, ColumnType.BOOLEAN);
        TYPES = java.util.Collections.unmodifiableMap(types);
    }

    private MetadataColumns() {
    }

    public static boolean isMetadata(String column) {
        return TYPES.containsKey(column);
    }
}
