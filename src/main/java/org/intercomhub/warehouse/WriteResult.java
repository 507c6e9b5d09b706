package org.intercomhub.warehouse;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link WarehouseUpsert#write} did, per table. Child rows are counted under the child table.
 */
public record WriteResult(Map<String, TableCounts> tables) {

    /**
     * @param written       rows inserted or updated
     * @param skippedOlder  rows not written because the stored row is newer
     * @param deleted       rows marked {@code _deleted} (tombstones included)
     * @param childRows     child rows inserted (this table being the child table)
     */
    public record TableCounts(int written, int skippedOlder, int deleted, int childRows) {

        public static final TableCounts NONE = new TableCounts(0, 0, 0, 0);

        TableCounts plus(TableCounts other) {
            return new TableCounts(written + other.written, skippedOlder + other.skippedOlder,
                    deleted + other.deleted, childRows + other.childRows);
        }
    }

    public WriteResult {
        tables = Map.copyOf(tables);
    }

    public static WriteResult empty() {
        return new WriteResult(Map.of());
    }

    public TableCounts table(String table) {
        return tables.getOrDefault(table, TableCounts.NONE);
    }

    public int written() {
        return total().written();
    }

    public int skippedOlder() {
        return total().skippedOlder();
    }

    public int deleted() {
        return total().deleted();
    }

    public int childRows() {
        return total().childRows();
    }

    private TableCounts total() {
        return tables.values().stream().reduce(TableCounts.NONE, TableCounts::plus);
    }

    @Override
    public String toString() {
        return "WriteResult" + new TreeMap<>(tables);
    }

    static final class Builder {
        private final Map<String, TableCounts> tables = new TreeMap<>();

        void add(String table, TableCounts counts) {
            tables.merge(table, counts, TableCounts::plus);
        }

        WriteResult build() {
            return new WriteResult(tables);
        }
    }
}
