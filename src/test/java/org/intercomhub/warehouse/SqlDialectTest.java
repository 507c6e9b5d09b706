package org.intercomhub.warehouse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

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
}
