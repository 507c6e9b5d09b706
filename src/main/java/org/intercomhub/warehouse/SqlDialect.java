package org.intercomhub.warehouse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.intercomhub.warehouse.MetadataColumns.SOURCE_UPDATED_AT;

/**
 * What differs between the warehouse databases: types, quoting, and the conditional upsert that never lets an older
 * version overwrite a newer one. Statements are multi-row ({@code VALUES (..),(..)}) so a batch is one round trip.
 */
public interface SqlDialect {

    String name();

    static SqlDialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return forProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database product name", e);
        }
    }

    static SqlDialect forProductName(String productName) {
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return new PostgresDialect();
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return new MariaDbDialect();
        }
        if (product.equals("h2")) {
            return new H2Dialect();
        }
        throw new IllegalArgumentException("No warehouse dialect for database " + productName);
    }

    char quoteChar();

    /** Quotes an identifier. Callers pass sanitized names; embedded quote characters are doubled regardless. */
    default String quote(String identifier) {
        String q = String.valueOf(quoteChar());
        return q + identifier.replace(q, q + q) + q;
    }

    default String qualify(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** The SQL type of a column; key columns may need a bounded type (MariaDB cannot index LONGTEXT). */
    String sqlType(ColumnType type, boolean keyColumn);

    /** Maps {@code information_schema.columns.data_type} back to a warehouse type, for tables made earlier. */
    default ColumnType columnTypeOf(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return ColumnType.JSON;
        }
        if (type.contains("timestamp") || type.contains("datetime")) {
            return ColumnType.TIMESTAMP;
        }
        if (type.equals("bigint") || type.equals("integer") || type.equals("int") || type.equals("smallint")) {
            return ColumnType.BIGINT;
        }
        if (type.contains("double") || type.equals("real") || type.equals("float") || type.contains("numeric")
                || type.contains("decimal")) {
            return ColumnType.DOUBLE;
        }
        if (type.contains("bool") || type.equals("tinyint")) {
            return ColumnType.BOOLEAN;
        }
        return ColumnType.TEXT;
    }

    default String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /** The parameter marker for a value of this type, e.g. with a cast to jsonb. */
    default String placeholder(ColumnType type) {
        return "?";
    }

    /** Binds an already {@link ColumnValues#convert converted} value. */
    default void bind(PreparedStatement statement, int index, ColumnType type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlTypeCode(type));
            return;
        }
        switch (type) {
            case TEXT, JSON -> statement.setString(index, (String) value);
            case BIGINT -> statement.setLong(index, (Long) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case TIMESTAMP -> bindTimestamp(statement, index, (Instant) value);
        }
    }

    default void bindTimestamp(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, value.atOffset(ZoneOffset.UTC));
    }

    default Instant readTimestamp(ResultSet resultSet, int column) throws SQLException {
        OffsetDateTime value = resultSet.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    default int sqlTypeCode(ColumnType type) {
        return switch (type) {
            case TEXT -> Types.VARCHAR;
            case JSON -> Types.OTHER;
            case BIGINT -> Types.BIGINT;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
        };
    }

    /** The most parameters one statement may carry (PostgreSQL's protocol allows 32767). */
    default int maxParameters() {
        return 30_000;
    }

    /**
     * Inserts {@code rows} rows, or updates the existing row unless its {@code _source_updated_at} is newer than the
     * incoming one (null on either side writes). {@code _source_updated_at} keeps the stored value when the incoming
     * one is null. Non-key columns not in {@code columns} are left as they are.
     */
    String conditionalUpsert(String table, List<String> keyColumns, List<Column> columns, int rows);

    /**
     * Whether {@link #conditionalUpsert}'s update count is exactly the number of rows inserted or updated (rows held
     * back by the version condition not counted). If so, the writer detects a concurrent insert of the same new row
     * by a count below expectation and retries; otherwise the dialect relies on {@link #lockVersions} locking absent
     * keys too (InnoDB's gap locks).
     */
    boolean upsertCountIsExact();

    /**
     * Whether {@link #lockVersions} also locks the keys it did not find (InnoDB's gap locks), so that a key absent
     * at lock time stays absent until the transaction ends: a parent absent then is inserted by this transaction,
     * and has no child rows of its own to replace.
     */
    default boolean lockCoversAbsentKeys() {
        return false;
    }

    /**
     * Whether the dialect writes a batch as one statement with one array parameter per column
     * ({@link #arrayUpsert}, {@link #bindArray}) instead of one parameter per value.
     */
    default boolean arrayStatements() {
        return false;
    }

    /**
     * As {@link #conditionalUpsert} for any number of rows, one array parameter per column (bound by
     * {@link #bindArray}). With {@code returning}, the statement answers one row per row inserted or updated:
     * its key (the first key column) and whether it was inserted.
     */
    default String arrayUpsert(String table, List<String> keyColumns, List<Column> columns, boolean returning) {
        throw new UnsupportedOperationException(name() + " has no array statements");
    }

    /**
     * As {@link #selectVersions} (with {@code lock}: {@link #lockVersions}) for any number of keys, bound as one
     * array by {@link #bindArray}.
     */
    default String selectVersionsOfArray(String table, String keyColumn, ColumnType keyType, boolean lock) {
        throw new UnsupportedOperationException(name() + " has no array statements");
    }

    /** Binds one column of a batch, already {@link ColumnValues#convert converted} values, as an array. */
    default void bindArray(PreparedStatement statement, int index, ColumnType type, Object[] values)
            throws SQLException {
        throw new UnsupportedOperationException(name() + " has no array statements");
    }

    /** Reads key and {@code _source_updated_at} of existing rows, locking them until the transaction ends. */
    default String lockVersions(String table, String keyColumn, int ids) {
        return selectVersions(table, keyColumn, ids) + " ORDER BY " + quote(keyColumn) + " FOR UPDATE";
    }

    /** Key, {@code _source_updated_at} and {@code _synced_at} of existing rows. */
    default String selectVersions(String table, String keyColumn, int ids) {
        return "SELECT " + quote(keyColumn) + ", " + quote(SOURCE_UPDATED_AT) + ", " + quote(MetadataColumns.SYNCED_AT)
                + " FROM " + table
                + " WHERE " + quote(keyColumn) + " IN (" + String.join(", ", java.util.Collections.nCopies(ids, "?")) + ")";
    }

    default String insert(String table, List<Column> columns, int rows) {
        return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES " + valueRows(columns, rows);
    }

    default String columnList(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    default String valueRows(List<Column> columns, int rows) {
        String row = columns.stream().map(c -> placeholder(c.type())).collect(Collectors.joining(", ", "(", ")"));
        StringBuilder sql = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        return sql.toString();
    }

    /** The update condition: write unless the stored version is newer. */
    default String newerOrUnknown(String stored, String incoming) {
        return "(" + stored + " IS NULL OR " + incoming + " IS NULL OR " + incoming + " >= " + stored + ")";
    }
}
