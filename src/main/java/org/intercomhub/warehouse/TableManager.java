package org.intercomhub.warehouse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Creates and evolves the warehouse tables and views of one schema. Thread-safe: the known columns of each table are
 * cached, so the common case (nothing to change) touches no database; changes are made under a per-table lock, and a
 * change made concurrently by another instance is tolerated by re-reading the table. DDL runs on its own
 * auto-commit connection, never inside a writer's transaction (MariaDB would commit it implicitly).
 */
public class TableManager {

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final String schema;
    private final Map<String, Map<String, ColumnType>> knownColumns = new ConcurrentHashMap<>();
    /**
     * DDL on a table is serialized across all managers in this JVM (H2 copes badly with concurrent DDL; other
     * processes are tolerated by re-reading the table). Keyed by schema and table: no references to data sources.
     */
    private static final Map<String, Object> TABLE_LOCKS = new ConcurrentHashMap<>();
    private final List<ViewSpec> views = new CopyOnWriteArrayList<>();
    private volatile boolean schemaCreated;

    public TableManager(DataSource dataSource, SqlDialect dialect, String schema) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schema = Identifiers.sanitize(schema);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public String schema() {
        return schema;
    }

    /** The quoted, schema-qualified name of a table or view. */
    public String qualified(String table) {
        return dialect.qualify(schema, table);
    }

    /** Creates the schema and table if missing, with the spec's columns, key and the metadata columns; adds spec
     * columns an existing table lacks. */
    public void ensureTable(TableSpec spec) {
        Map<String, ColumnType> known = knownColumns.get(spec.name());
        // the common case, once per record and child table of every page: nothing to copy, nothing to lock
        if (known != null && known.keySet().containsAll(spec.columns().keySet())
                && known.keySet().containsAll(MetadataColumns.TYPES.keySet())) {
            return;
        }
        Map<String, ColumnType> wanted = new LinkedHashMap<>(spec.columns());
        wanted.putAll(MetadataColumns.TYPES);
        synchronized (lockOf(spec.name())) {
            Map<String, ColumnType> existing = columns(spec.name());
            boolean changed = false;
            if (existing.isEmpty()) {
                createTable(spec);
                existing = reloadColumns(spec.name());
                changed = true;
            }
            for (Map.Entry<String, ColumnType> column : wanted.entrySet()) {
                if (!existing.containsKey(column.getKey())) {
                    addColumn(spec.name(), column.getKey(), column.getValue());
                    changed = true;
                }
            }
            if (changed) {
                reloadColumns(spec.name());
                recreateViewsOf(spec.name());
            }
        }
    }

    /**
     * Adds the columns a row brings that the table lacks, typed from their values (see {@link ColumnValues#inferType});
     * a column whose value is null waits for a value. Names are sanitized. Returns the columns added.
     */
    public List<String> ensureColumns(String table, Map<String, Object> sampleRow) {
        Map<String, ColumnType> known = knownColumns.get(table);
        if (known != null && missingColumns(known, sampleRow).isEmpty()) {
            return List.of();
        }
        synchronized (lockOf(table)) {
            Map<String, ColumnType> current = reloadColumns(table);
            if (current.isEmpty()) {
                throw new IllegalStateException("Table " + qualified(table) + " does not exist; ensureTable first");
            }
            List<String> added = new ArrayList<>();
            missingColumns(current, sampleRow).forEach((column, type) -> {
                addColumn(table, column, type);
                added.add(column);
            });
            if (!added.isEmpty()) {
                reloadColumns(table);
                recreateViewsOf(table);
            }
            return added;
        }
    }

    private static Map<String, ColumnType> missingColumns(Map<String, ColumnType> known, Map<String, Object> sampleRow) {
        Map<String, ColumnType> missing = new LinkedHashMap<>();
        sampleRow.forEach((name, value) -> {
            String column = Identifiers.sanitize(name);
            ColumnType type = ColumnValues.inferType(value);
            if (type != null && !known.containsKey(column)) {
                missing.putIfAbsent(column, type);
            }
        });
        return missing;
    }

    /** Registers a view and creates it now if its base table exists; it is recreated whenever the base gains columns. */
    public void ensureView(ViewSpec view) {
        views.removeIf(v -> v.name().equals(view.name()));
        views.add(view);
        synchronized (lockOf(view.baseTable())) {
            if (!columns(view.baseTable()).isEmpty()) {
                createView(view);
            }
        }
    }

    /** Column name to type, from the cache or the database; empty when the table does not exist. */
    public Map<String, ColumnType> columns(String table) {
        Map<String, ColumnType> known = knownColumns.get(table);
        return known != null ? known : reloadColumns(table);
    }

    private static void pause(int look) {
        try {
            Thread.sleep(10L * (look + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("Interrupted while reading table columns", e);
        }
    }

    /** Forgets cached columns, e.g. after the tables were changed by hand. */
    public void forget() {
        knownColumns.clear();
    }

    private Map<String, ColumnType> reloadColumns(String table) {
        String sql = "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), dialect.columnTypeOf(rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new WarehouseException("Cannot read the columns of " + qualified(table), e);
        }
        if (columns.isEmpty()) {
            knownColumns.remove(table);
            return Map.of();
        }
        Map<String, ColumnType> snapshot = Collections.unmodifiableMap(columns);
        knownColumns.put(table, snapshot);
        return snapshot;
    }

    private void createTable(TableSpec spec) {
        ensureSchema();
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified(spec.name())).append(" (");
        spec.columns().forEach((name, type) -> sql.append(columnDefinition(name, type, spec.keyColumns().contains(name)))
                .append(spec.keyColumns().contains(name) ? " NOT NULL" : "").append(", "));
        MetadataColumns.TYPES.forEach((name, type) -> {
            if (!spec.columns().containsKey(name)) {
                sql.append(columnDefinition(name, type, false)).append(", ");
            }
        });
        sql.append("PRIMARY KEY (")
                .append(spec.keyColumns().stream().map(dialect::quote).collect(Collectors.joining(", ")))
                .append("))");
        // Another instance may create it at the same moment; what counts is that it exists afterwards.
        executeTolerating(sql.toString(), () -> !reloadColumns(spec.name()).isEmpty());
    }

    private String columnDefinition(String name, ColumnType type, boolean key) {
        String definition = dialect.quote(name) + " " + dialect.sqlType(type, key);
        return name.equals(MetadataColumns.DELETED) ? definition + " DEFAULT false NOT NULL" : definition;
    }

    private void addColumn(String table, String column, ColumnType type) {
        String sql = "ALTER TABLE " + qualified(table) + " ADD COLUMN " + columnDefinition(column, type, false);
        executeTolerating(sql, () -> reloadColumns(table).containsKey(column));
    }

    private void ensureSchema() {
        if (!schemaCreated) {
            executeTolerating(dialect.createSchema(schema), () -> true);
            schemaCreated = true;
        }
    }

    private void recreateViewsOf(String table) {
        for (ViewSpec view : views) {
            if (view.baseTable().equals(table)) {
                createView(view);
            }
        }
    }

    private void createView(ViewSpec view) {
        execute("CREATE OR REPLACE VIEW " + qualified(view.name()) + " AS SELECT * FROM " + qualified(view.baseTable())
                + " WHERE " + view.renderWhere(dialect));
    }

    /**
     * Runs DDL that another thread or instance may be running at the same moment: a failure is fine if the change is
     * there afterwards, and is retried otherwise (H2 times out on its system table lock when DDL collides).
     */
    private void executeTolerating(String sql, java.util.function.BooleanSupplier doneAnyway) {
        for (int attempt = 0; ; attempt++) {
            try {
                execute(sql);
                return;
            } catch (WarehouseException e) {
                if (doneAnyway.getAsBoolean()) {
                    return;
                }
                if (attempt >= 3) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private void execute(String sql) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new WarehouseException("DDL failed: " + sql, e);
        }
    }

    private Object lockOf(String table) {
        return TABLE_LOCKS.computeIfAbsent(schema + "." + table, name -> new Object());
    }
}
