package org.intercomhub.warehouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A view over one table, e.g. {@code users} = contacts where role is 'user'. Created as
 * {@code CREATE OR REPLACE VIEW name AS SELECT * FROM baseTable WHERE whereSql} and recreated whenever the base
 * table gains columns.
 *
 * @param whereSql SQL chosen by the project (never by data). Write column names as {@code {role}}: they are
 *                 sanitized and quoted for the dialect, because quoting differs (H2 and PostgreSQL {@code "},
 *                 MariaDB backticks) and unquoted names do not match lower-case columns on H2.
 */
public record ViewSpec(String name, String baseTable, String whereSql) {

    private static final Pattern COLUMN_REFERENCE = Pattern.compile("\\{([^{}]+)}");

    /** A view of the rows whose {@code column} equals the string {@code value}. */
    public static ViewSpec whereEquals(String name, String baseTable, String column, String value) {
        return new ViewSpec(name, baseTable, "{" + column + "} = '" + value.replace("'", "''") + "'");
    }

    String renderWhere(SqlDialect dialect) {
        Matcher matcher = COLUMN_REFERENCE.matcher(whereSql);
        StringBuilder sql = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(sql, Matcher.quoteReplacement(dialect.quote(Identifiers.sanitize(matcher.group(1)))));
        }
        matcher.appendTail(sql);
        return sql.toString();
    }
}
