package org.intercomhub.warehouse;

import org.intercomhub.record.CanonicalRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps one record per table and id: the newest {@code sourceUpdatedAt}, the later one on a tie or when either
 * version is unknown (the same rule the writer applies against stored rows). A multi-row upsert must not touch a
 * row twice, and PostgreSQL refuses to.
 */
final class BatchDeduplicator {

    private BatchDeduplicator() {
    }

    /** Table name (sorted, the order tables are locked in) to id to record. */
    static Map<String, Map<String, CanonicalRecord>> dedupe(List<CanonicalRecord> batch) {
        Map<String, Map<String, CanonicalRecord>> byTable = new TreeMap<>();
        for (CanonicalRecord record : batch) {
            if (record.id() == null || record.collection() == null) {
                throw new IllegalArgumentException("A record needs a collection and an id: " + record);
            }
            byTable.computeIfAbsent(record.collection(), table -> new LinkedHashMap<>())
                    .merge(record.id(), record, (kept, incoming) ->
                            replaces(kept.sourceUpdatedAt(), incoming.sourceUpdatedAt()) ? incoming : kept);
        }
        return byTable;
    }

    /** Whether a version may overwrite a stored one: unknown on either side, or not older. */
    static boolean replaces(Long stored, Long incoming) {
        return stored == null || incoming == null || incoming >= stored;
    }
}
