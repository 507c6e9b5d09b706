package org.intercomhub;

import java.sql.DriverManager;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real database servers the end-to-end tests run against. They are shared with other tests, so each test class
 * works in schemas of its own (the warehouse's and its {@code _hub} bookkeeping schema) and drops them at the end.
 */
public enum ItDatabase {
    POSTGRES("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "DROP SCHEMA IF EXISTS %s CASCADE"),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "DROP DATABASE IF EXISTS %s");

    public final String url;
    public final String user;
    private final String dropStatement;

    ItDatabase(String url, String user, String dropStatement) {
        this.url = url;
        this.user = user;
        this.dropStatement = dropStatement;
    }

    public static String uniqueSchema(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /** Drops the warehouse schema and its bookkeeping schema. */
    public void dropSchemas(String schema) throws Exception {
        try (var connection = DriverManager.getConnection(url, user, "");
             var statement = connection.createStatement()) {
            statement.execute(dropStatement.formatted(schema));
            statement.execute(dropStatement.formatted(schema + "_hub"));
        }
    }
}
