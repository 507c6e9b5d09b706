package org.intercomhub.sync;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.intercomhub.warehouse.MariaDbDialect;
import org.intercomhub.warehouse.PostgresDialect;
import org.intercomhub.warehouse.SqlDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hub's own tables (checkpoints, run history, webhook inbox, branch queues, dead letters), in their own schema
 * beside the warehouse's. Versioned with Flyway: {@link #migrate()} applies the migrations of
 * {@code db/bookkeeping/common} (SQL every database takes) and of the database's own folder ({@code standard} for
 * PostgreSQL and H2, {@code mariadb} for MariaDB/MySQL) at start-up, before any bean reads the tables, and keeps
 * Flyway's history table in the same schema.
 */
public class BookkeepingSchema {

    static final String LOCATION = "classpath:db/bookkeeping/";

    private static final Logger log = LoggerFactory.getLogger(BookkeepingSchema.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final JdbcTemplate jdbc;
    private final String schema;
    /** The schema version the last successful {@link #migrate()} left; null before it. */
    private volatile String migratedVersion;

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

    /**
     * Creates the schema and its tables, or brings them to the newest version. A schema made before the tables were
     * versioned (tables but no history table) is baselined at version 0, below V1, so V1 (written to be a no-op on
     * those tables) and every later migration run over it exactly as over a new schema.
     */
    public MigrateResult migrate() {
        DataSource dataSource = jdbc.getDataSource();
        SqlDialect dialect = SqlDialect.detect(dataSource);
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .schemas(storedName(dataSource))
                .locations(LOCATION + "common", LOCATION + (dialect instanceof MariaDbDialect ? "mariadb" : "standard"))
                // a statement only PostgreSQL takes (table storage settings) is a comment on the other databases
                .placeholders(Map.of("postgresql_only", dialect instanceof PostgresDialect ? "" : "-- "))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("tables made before versioning")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("Bookkeeping schema {}: {} migrations applied, now at version {}{}", schema,
                    result.migrationsExecuted, result.targetSchemaVersion, "0".equals(result.initialSchemaVersion)
                            ? " (its tables, made before they were versioned, were kept with their rows; the"
                            + " database's notes that they already exist are expected)" : "");
        }
        // nothing to apply: Flyway reports only the version the schema already had
        migratedVersion = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion != null ? result.initialSchemaVersion : "none";
        return result;
    }

    /** The version the bookkeeping migrations reached at start-up; null until they succeeded. */
    public String migratedVersion() {
        return migratedVersion;
    }

    public String name() {
        return schema;
    }

    /**
     * The schema name as the database stores the unquoted name the queries use: H2 folds it to upper case, and
     * Flyway quotes the names it is given.
     */
    private String storedName(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            if (meta.storesUpperCaseIdentifiers()) {
                return schema.toUpperCase(Locale.ROOT);
            }
            return schema;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the database's identifier case", e);
        }
    }
}
