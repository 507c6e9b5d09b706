package org.intercomhub.warehouse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    @EnumSource(TestDatabase.Kind.class)
    void quotesIdentifiersSoTheyCannotBreakOut(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            String quoted = db.dialect.quote("a\"b`c");
            char q = db.dialect.quoteChar();
            assertThat(quoted).startsWith(String.valueOf(q)).endsWith(String.valueOf(q));
            assertThat(quoted.substring(1, quoted.length() - 1).replace("" + q + q, "")).doesNotContain(String.valueOf(q));
        }
    }
}
