package org.intercomhub.sync;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The hub's own tables (checkpoints, run history), in their own schema beside the warehouse's. Created at start-up
 * with SQL that PostgreSQL, MariaDB/MySQL and H2 all accept.
 */
public class BookkeepingSchema {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final JdbcTemplate jdbc;
    private final String schema;

    public BookkeepingSchema(JdbcTemplate jdbc, String schema) {
        if (!SAFE_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("bookkeeping schema must match " + SAFE_NAME + ": " + schema);
        }
        this.jdbc = jdbc;
        this.schema = schema;
    }

    public String table(String name) {
        return schema + "." + name;
    }

    public void create() {
        jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        for (String ddl : List.of(
                "CREATE TABLE IF NOT EXISTS " + table("sync_checkpoints") + " ("
                        + "collection VARCHAR(100) NOT NULL PRIMARY KEY, high_water BIGINT, query_since BIGINT, "
                        + "cursor_value TEXT, run_high_water BIGINT, run_started_at BIGINT, updated_at BIGINT)",
                "CREATE TABLE IF NOT EXISTS " + table("sync_runs") + " ("
                        + "run_id VARCHAR(40) NOT NULL PRIMARY KEY, collection VARCHAR(100) NOT NULL, "
                        + "started_at BIGINT NOT NULL, ended_at BIGINT, state VARCHAR(20) NOT NULL, "
                        + "records BIGINT, pages BIGINT, error TEXT)",
                // which custom_* column each custom attribute lives in (see AttributeColumns); names are keyed by
                // their SHA-256 because MariaDB compares text case-insensitively and Plan is not plan
                "CREATE TABLE IF NOT EXISTS " + table("attribute_columns") + " ("
                        + "table_name VARCHAR(64) NOT NULL, attribute_key CHAR(64) NOT NULL, attribute_name TEXT NOT NULL, "
                        + "column_name VARCHAR(64) NOT NULL, PRIMARY KEY (table_name, attribute_key), "
                        + "CONSTRAINT attribute_columns_column UNIQUE (table_name, column_name))")) {
            jdbc.execute(ddl);
        }
    }
}
