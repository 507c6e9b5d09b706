package org.intercomhub.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlDialectTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void detectsTheDialectFromTheDatabase(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            Class<?> expected = switch (kind) {
                case POSTGRES -> PostgresDialect.class;
                case MARIADB -> MariaDbDialect.class;
                case H2 -> H2Dialect.class;
            };
            assertThat(SqlDialect.detect(db.dataSource())).isInstanceOf(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "MySQL", "H2"})
    void quotesIdentifiersSoTheyCannotBreakOut(String product) {
        SqlDialect dialect = SqlDialect.forProductName(product);
        String quoted = dialect.quote("a\"b`c");
        String q = String.valueOf(dialect.quoteChar());
        assertThat(quoted).startsWith(q).endsWith(q);
        assertThat(quoted.substring(1, quoted.length() - 1).replace(q + q, "")).doesNotContain(q);
    }

    /** The hub's own binary text[] encoding, read back by PostgreSQL element by element, nulls and UTF-8 included. */
    @Test
    void postgresTextArraysArriveAsSent() throws Exception {
        String[] texts = {"plain", "", null, "Zoë \"quoted\" {a,b} \\ NULL", "😀 emoji", null, "x".repeat(10_000)};
        try (TestDatabase db = TestDatabase.open(TestDatabase.Kind.POSTGRES);
             Connection connection = db.dataSource().getConnection()) {
            PostgresDialect dialect = new PostgresDialect();
            for (Object[] values : List.of(texts, new Object[] {null}, new Object[0])) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT u.t, u.t IS NULL, u.n FROM unnest(?::text[]) WITH ORDINALITY AS u(t, n) ORDER BY u.n")) {
                    dialect.bindArray(statement, 1, ColumnType.TEXT, values);
                    List<String> read = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            read.add(rows.getString(1));
                            assertThat(rows.getBoolean(2)).isEqualTo(rows.getString(1) == null);
                        }
                    }
                    assertThat(read).containsExactlyElementsOf(Arrays.asList(values).stream()
                            .map(value -> (String) value).toList());
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT (?::text[]::jsonb[])[1] ->> 'city'")) {
                dialect.bindArray(statement, 1, ColumnType.JSON, new Object[] {"{\"city\":\"Zürich\"}"});
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("Zürich");
                }
            }
        }
    }
}
