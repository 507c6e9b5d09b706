package org.intercomhub.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real database with a randomly named schema of its own, dropped on close: the servers are shared with other
 * tests.
 */
final class TestDatabase implements AutoCloseable {

    enum Kind {
        POSTGRES("jdbc:postgresql://127.0.0.1:5432/test", "postgres"),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root"),
        H2("jdbc:h2:mem:%s;DB_CLOSE_DELAY=-1", "sa");

        final String url;
        final String user;

        Kind(String url, String user) {
            this.url = url;
            this.user = user;
        }
    }

    final Kind kind;
    final String schema;
    final HikariDataSource dataSource;
    final SqlDialect dialect;

    private TestDatabase(Kind kind, String url) {
        this.kind = kind;
        this.schema = "wh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.formatted(schema));
        config.setUsername(kind.user);
        config.setPassword("");
        config.setMaximumPoolSize(8);
        this.dataSource = new HikariDataSource(config);
        this.dialect = SqlDialect.detect(dataSource);
    }

    static TestDatabase open(Kind kind) {
        return new TestDatabase(kind, kind.url);
    }

    /** An H2 database of the given URL (e.g. file mode, or another compatibility mode). */
    static TestDatabase h2(String url) {
        return new TestDatabase(Kind.H2, url);
    }

    DataSource dataSource() {
        return dataSource;
    }

    String table(String name) {
        return dialect.qualify(schema, name);
    }

    String q(String identifier) {
        return dialect.quote(identifier);
    }

    List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery()) {
                ResultSetMetaData meta = resultSet.getMetaData();
                while (resultSet.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c).toLowerCase(), resultSet.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The one row of {@code table} with this id, as column name to value. */
    Map<String, Object> row(String table, String id) {
        List<Map<String, Object>> rows = query("SELECT * FROM " + table(table) + " WHERE " + q("id") + " = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    List<String> columnNames(String table) {
        return query("SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position", schema, table).stream()
                .map(row -> (String) row.values().iterator().next()).toList();
    }

    void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try {
            execute(switch (kind) {
                case MARIADB -> "DROP DATABASE IF EXISTS " + q(schema);
                case POSTGRES, H2 -> "DROP SCHEMA IF EXISTS " + q(schema) + " CASCADE";
            });
        } finally {
            dataSource.close();
        }
    }
}
