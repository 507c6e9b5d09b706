package org.intercomhub.warehouse;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.jdbc.PgArray;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
        return "INSERT INTO " + table + " AS cur (" + columnList(columns) + ") VALUES " + valueRows(columns, rows)
                + onConflict(keyColumns, columns);
    }

    /**
     * {@code INSERT .. SELECT .. FROM unnest(?, ?, ..) AS u(c1, c2, ..)}: a batch of any size is one statement with
     * one parameter per column, which PostgreSQL parses and plans once (the prepared statement is reused for every
     * batch with the same columns) instead of a new {@code VALUES} list of thousands of parameters. {@code xmax = 0} tells a row this
     * statement inserted from one it updated.
     */
    @Override
    public String arrayUpsert(String table, List<String> keyColumns, List<Column> columns, boolean returning) {
        List<String> selected = new ArrayList<>(columns.size());
        List<String> aliases = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String alias = "c" + (i + 1);
            aliases.add(alias);
            // timestamps travel as epoch microseconds: neither side formats or parses text for them
            selected.add(columns.get(i).type() == ColumnType.TIMESTAMP
                    ? "timestamptz 'epoch' + u." + alias + " * interval '1 microsecond'" : "u." + alias);
        }
        return "INSERT INTO " + table + " AS cur (" + columnList(columns) + ") SELECT " + String.join(", ", selected)
                + " FROM unnest("
                + columns.stream().map(c -> arrayPlaceholder(c.type())).collect(Collectors.joining(", "))
                + ") AS u(" + String.join(", ", aliases) + ")"
                + onConflict(keyColumns, columns)
                + (returning ? " RETURNING cur." + quote(keyColumns.get(0)) + ", cur.xmax = 0" : "");
    }

    /** {@code = ANY(?)}: one parameter whatever the number of keys, so one prepared statement and plan. */
    @Override
    public String selectVersionsOfArray(String table, String keyColumn, ColumnType keyType, boolean lock) {
        return "SELECT " + quote(keyColumn) + ", " + quote(SOURCE_UPDATED_AT) + ", " + quote(MetadataColumns.SYNCED_AT)
                + " FROM " + table + " WHERE " + quote(keyColumn) + " = ANY(" + arrayPlaceholder(keyType) + ")"
                + (lock ? " ORDER BY " + quote(keyColumn) + " FOR UPDATE" : "");
    }

    private String onConflict(List<String> keyColumns, List<Column> columns) {
        String version = quote(SOURCE_UPDATED_AT);
        String assignments = columns.stream()
                .map(Column::name)
                .filter(name -> !keyColumns.contains(name) && !name.equals(SOURCE_UPDATED_AT))
                .map(name -> quote(name) + " = EXCLUDED." + quote(name))
                .collect(Collectors.joining(", "));
        return " ON CONFLICT (" + keyColumns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET " + (assignments.isEmpty() ? "" : assignments + ", ")
                + version + " = COALESCE(EXCLUDED." + version + ", cur." + version + ")"
                + " WHERE " + newerOrUnknown("cur." + version, "EXCLUDED." + version);
    }

    /** Text and JSON travel as text arrays, cast on the server; timestamps as epoch microseconds (see arrayUpsert). */
    private static String arrayPlaceholder(ColumnType type) {
        return switch (type) {
            case TEXT -> "?::text[]";
            case JSON -> "?::text[]::jsonb[]";
            case TIMESTAMP -> "?::int8[]";
            case BIGINT -> "?::int8[]";
            case DOUBLE -> "?::float8[]";
            case BOOLEAN -> "?::bool[]";
        };
    }

    @Override
    public boolean arrayStatements() {
        return true;
    }

    @Override
    public void bindArray(PreparedStatement statement, int index, ColumnType type, Object[] values)
            throws SQLException {
        Connection connection = statement.getConnection();
        Array array = switch (type) {
            case TEXT, JSON -> new PgArray(connection.unwrap(BaseConnection.class), Oid.TEXT_ARRAY, textArray(values));
            case TIMESTAMP -> {
                Long[] micros = new Long[values.length];
                for (int i = 0; i < values.length; i++) {
                    micros[i] = epochMicros(values[i]);
                }
                yield connection.createArrayOf("int8", micros);
            }
            case BIGINT -> connection.createArrayOf("int8", Arrays.copyOf(values, values.length, Long[].class));
            case DOUBLE -> connection.createArrayOf("float8", Arrays.copyOf(values, values.length, Double[].class));
            case BOOLEAN -> connection.createArrayOf("bool", Arrays.copyOf(values, values.length, Boolean[].class));
        };
        statement.setArray(index, array);
    }

    /**
     * A {@code text[]} in PostgreSQL's binary array format ({@code array_recv}: dimensions, flags, element type, then
     * each element's length, -1 for null, and UTF-8 bytes), written into one array of the final size. The driver's
     * own encoder ({@code createArrayOf}) grows a stream buffer by doubling and copies it out again: it allocated a
     * quarter of a pull's bytes (JFR, 2026-12-03). The driver binds a binary {@link PgArray} as it is.
     */
    static byte[] textArray(Object[] values) {
        byte[][] elements = new byte[values.length][];
        boolean hasNull = false;
        int size = values.length == 0 ? 12 : 20;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                hasNull = true;
                size += 4;
            } else {
                elements[i] = ((String) values[i]).getBytes(StandardCharsets.UTF_8);
                size += 4 + elements[i].length;
            }
        }
        ByteBuffer array = ByteBuffer.allocate(size); // big-endian, as PostgreSQL's wire format
        array.putInt(values.length == 0 ? 0 : 1).putInt(hasNull ? 1 : 0).putInt(Oid.TEXT);
        if (values.length > 0) {
            array.putInt(values.length).putInt(1); // one dimension: its length and lower bound
        }
        for (byte[] element : elements) {
            if (element == null) {
                array.putInt(-1);
            } else {
                array.putInt(element.length).put(element);
            }
        }
        return array.array();
    }

    /**
     * Microseconds since the epoch (PostgreSQL's resolution; finer parts are truncated); null for null and, as
     * everywhere in the warehouse, for a value that does not fit the column.
     */
    static Long epochMicros(Object value) {
        Instant instant = value instanceof Instant given ? given
                : (Instant) ColumnValues.convert(value, ColumnType.TIMESTAMP);
        if (instant == null) {
            return null;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    @Override
    public boolean upsertCountIsExact() {
        return true;
    }
}
