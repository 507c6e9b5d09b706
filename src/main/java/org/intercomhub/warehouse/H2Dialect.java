package org.intercomhub.warehouse;

import java.util.List;
import java.util.stream.Collectors;

import static org.intercomhub.warehouse.MetadataColumns.SOURCE_UPDATED_AT;

/**
 * H2 (any compatibility mode): {@code MERGE INTO .. USING (VALUES ..) .. WHEN MATCHED AND ..}, since H2's PostgreSQL
 * mode has no {@code ON CONFLICT DO UPDATE}.
 */
public class H2Dialect implements SqlDialect {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public char quoteChar() {
        return '"';
    }

    @Override
    public String sqlType(ColumnType type, boolean keyColumn) {
        return switch (type) {
            case TEXT -> "CHARACTER VARYING";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
            case JSON -> "JSON";
        };
    }

    /**
     * Values in {@code USING (VALUES ..)} have no target column to take a type from, hence the casts. A string cast
     * to JSON becomes a JSON string; {@code FORMAT JSON} parses it instead.
     */
    @Override
    public String placeholder(ColumnType type) {
        return type == ColumnType.JSON ? "? FORMAT JSON" : "CAST(? AS " + sqlType(type, false) + ")";
    }

    @Override
    public int sqlTypeCode(ColumnType type) {
        return type == ColumnType.JSON ? java.sql.Types.VARCHAR : SqlDialect.super.sqlTypeCode(type);
    }

    @Override
    public String conditionalUpsert(String table, List<String> keyColumns, List<Column> columns, int rows) {
        String version = quote(SOURCE_UPDATED_AT);
        String names = columnList(columns);
        String match = keyColumns.stream().map(k -> "cur." + quote(k) + " = src." + quote(k))
                .collect(Collectors.joining(" AND "));
        String assignments = columns.stream()
                .map(Column::name)
                .filter(name -> !keyColumns.contains(name) && !name.equals(SOURCE_UPDATED_AT))
                .map(name -> quote(name) + " = src." + quote(name))
                .collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " AS cur USING (VALUES " + valueRows(columns, rows) + ") AS src(" + names + ")"
                + " ON " + match
                + " WHEN MATCHED AND " + newerOrUnknown("cur." + version, "src." + version) + " THEN UPDATE SET "
                + (assignments.isEmpty() ? "" : assignments + ", ")
                + version + " = COALESCE(src." + version + ", cur." + version + ")"
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES ("
                + columns.stream().map(c -> "src." + quote(c.name())).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public boolean upsertCountIsExact() {
        return true;
    }
}
