package org.intercomhub.warehouse;

import java.util.List;
import java.util.stream.Collectors;

import static org.intercomhub.warehouse.MetadataColumns.SOURCE_UPDATED_AT;

/** PostgreSQL: {@code INSERT .. ON CONFLICT .. DO UPDATE .. WHERE}, jsonb, timestamptz. */
public class PostgresDialect implements SqlDialect {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public char quoteChar() {
        return '"';
    }

    @Override
    public String sqlType(ColumnType type, boolean keyColumn) {
        return switch (type) {
            case TEXT -> "text";
            case BIGINT -> "bigint";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamptz";
            case JSON -> "jsonb";
        };
    }

    @Override
    public String placeholder(ColumnType type) {
        return type == ColumnType.JSON ? "?::jsonb" : "?";
    }

    @Override
    public int sqlTypeCode(ColumnType type) {
        // A typed null for json would be sent as varchar and then cast, which is fine; keep it simple.
        return type == ColumnType.JSON ? java.sql.Types.VARCHAR : SqlDialect.super.sqlTypeCode(type);
    }

    @Override
    public String conditionalUpsert(String table, List<String> keyColumns, List<Column> columns, int rows) {
        String version = quote(SOURCE_UPDATED_AT);
        String assignments = columns.stream()
                .map(Column::name)
                .filter(name -> !keyColumns.contains(name) && !name.equals(SOURCE_UPDATED_AT))
                .map(name -> quote(name) + " = EXCLUDED." + quote(name))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " AS cur (" + columnList(columns) + ") VALUES " + valueRows(columns, rows)
                + " ON CONFLICT (" + keyColumns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET " + (assignments.isEmpty() ? "" : assignments + ", ")
                + version + " = COALESCE(EXCLUDED." + version + ", cur." + version + ")"
                + " WHERE " + newerOrUnknown("cur." + version, "EXCLUDED." + version);
    }

    @Override
    public boolean upsertCountIsExact() {
        return true;
    }
}
