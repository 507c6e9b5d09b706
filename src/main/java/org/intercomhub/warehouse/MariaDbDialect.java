package org.intercomhub.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.intercomhub.warehouse.MetadataColumns.SOURCE_UPDATED_AT;

/**
 * MariaDB and MySQL: a schema is a database; {@code ON DUPLICATE KEY UPDATE} with every assignment guarded by the
 * version condition; timestamps as {@code DATETIME(6)} holding UTC.
 */
public class MariaDbDialect implements SqlDialect {

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public char quoteChar() {
        return '`';
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema) + " CHARACTER SET utf8mb4";
    }

    /**
     * Plain text is MEDIUMTEXT (16 MB) so that LONGTEXT, the storage of JSON, tells JSON columns apart. Keys compare
     * byte for byte: Intercom's ids and attribute names are case-sensitive ({@code contact.Plan} is not
     * {@code contact.plan}), MariaDB's default collation is not.
     */
    @Override
    public String sqlType(ColumnType type, boolean keyColumn) {
        return switch (type) {
            case TEXT -> keyColumn ? "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "MEDIUMTEXT";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "DATETIME(6)";
            case JSON -> "JSON";
        };
    }

    @Override
    public ColumnType columnTypeOf(String dataType) {
        return dataType.toLowerCase(Locale.ROOT).equals("longtext") ? ColumnType.JSON
                : SqlDialect.super.columnTypeOf(dataType);
    }

    @Override
    public int sqlTypeCode(ColumnType type) {
        return switch (type) {
            case JSON -> Types.VARCHAR;
            case TIMESTAMP -> Types.TIMESTAMP;
            default -> SqlDialect.super.sqlTypeCode(type);
        };
    }

    /** A LocalDateTime is sent as written, whatever the session time zone; it is UTC by convention. */
    @Override
    public void bindTimestamp(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    public Instant readTimestamp(ResultSet resultSet, int column) throws SQLException {
        LocalDateTime value = resultSet.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public int maxParameters() {
        return 60_000;
    }

    /**
     * Assignments run left to right and later ones see earlier results, so the version column is assigned last:
     * every guard compares against the stored version.
     */
    @Override
    public String conditionalUpsert(String table, List<String> keyColumns, List<Column> columns, int rows) {
        String version = quote(SOURCE_UPDATED_AT);
        String newer = newerOrUnknown(version, "VALUES(" + version + ")");
        String assignments = columns.stream()
                .map(Column::name)
                .filter(name -> !keyColumns.contains(name) && !name.equals(SOURCE_UPDATED_AT))
                .map(name -> quote(name) + " = IF(" + newer + ", VALUES(" + quote(name) + "), " + quote(name) + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES " + valueRows(columns, rows)
                + " ON DUPLICATE KEY UPDATE " + (assignments.isEmpty() ? "" : assignments + ", ")
                + version + " = IF(" + newer + ", COALESCE(VALUES(" + version + "), " + version + "), " + version + ")";
    }

    /** InnoDB's locking read under REPEATABLE READ takes gap locks: a concurrent insert of an absent key waits. */
    @Override
    public boolean lockCoversAbsentKeys() {
        return true;
    }

    /** Affected rows count an update as 2 and cannot tell a held-back row from an unchanged one. */
    @Override
    public boolean upsertCountIsExact() {
        return false;
    }
}
