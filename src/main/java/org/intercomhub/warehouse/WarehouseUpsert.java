package org.intercomhub.warehouse;

import org.intercomhub.retry.Backoff;

import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Operation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.intercomhub.warehouse.MetadataColumns.DELETED;
import static org.intercomhub.warehouse.MetadataColumns.SOURCE;
import static org.intercomhub.warehouse.MetadataColumns.SOURCE_UPDATED_AT;
import static org.intercomhub.warehouse.MetadataColumns.SYNCED_AT;

/**
 * Writes batches of canonical records into the warehouse: one transaction per batch, never overwriting a row with an
 * older version, safe against a concurrent writer of the same rows (a scheduled pull and a webhook).
 *
 * <p>PostgreSQL: per table and set of columns, the batch is one conditional upsert ({@code INSERT .. SELECT * FROM
 * unnest(..) ON CONFLICT .. DO UPDATE .. WHERE} the stored version is not newer), whose {@code RETURNING} names the
 * winners and which of them were inserted. Other databases: per table, the batch's existing rows are read and locked
 * ({@code SELECT .. FOR UPDATE}) in one query, which decides the winners exactly; the winners go out as multi-row
 * conditional upserts (the condition guards rows a concurrent writer inserted after the lock query). If such a
 * concurrent insert shows up as a short update count, or the database reports a deadlock, the whole transaction is
 * retried.
 */
public class WarehouseUpsert {

    /** Two writers that collided on the same keys (deadlock, duplicate insert) come back apart, quickly. */
    private static final Backoff CONFLICT_BACKOFF = new Backoff(Duration.ofMillis(10), Duration.ofMillis(500));

    private static final int MAX_ATTEMPTS = 8;
    private static final int MAX_ROWS_PER_STATEMENT = 1000;
    /** Rows per statement where a dialect binds one array per column: bounds the statement's size only. */
    private static final int MAX_ROWS_PER_ARRAY = 10_000;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final TableManager tableManager;
    private final Map<String, TableSpec> specs;
    private final Clock clock;
    private final Map<String, String> statementCache = new ConcurrentHashMap<>();

    public WarehouseUpsert(DataSource dataSource, SqlDialect dialect, String schema, Map<String, TableSpec> tables,
                           Clock clock) {
        this(dataSource, new TableManager(dataSource, dialect, schema), tables, clock);
    }

    /** Shares a table manager, e.g. one that views were registered with. */
    public WarehouseUpsert(DataSource dataSource, TableManager tableManager, Map<String, TableSpec> tables, Clock clock) {
        this.dataSource = dataSource;
        this.dialect = tableManager.dialect();
        this.tableManager = tableManager;
        this.specs = Map.copyOf(tables);
        this.clock = clock;
    }

    public TableManager tableManager() {
        return tableManager;
    }

    /**
     * Writes a batch in one transaction; see the class comment.
     *
     * <p>A record whose collection is a child table ({@code contact_tags}, {@code conversation_parts}, ...) changes
     * that one child row only, keyed by the parent key column in its row and its id, and leaves the parent's other
     * child rows alone: a webhook carries one tag, or a conversation's newest parts, never the complete set. Its
     * upsert is held back when the stored row is newer; its delete removes the row unless the stored row is newer.
     */
    public WriteResult write(List<CanonicalRecord> batch) {
        return write(batch, List.of());
    }

    /**
     * As {@link #write(List)}, and {@code alsoCommitted} (null: none) in the same transaction: the branches' queue
     * rows, a pull's checkpoint. Committed even when the batch is empty.
     */
    public WriteResult write(List<CanonicalRecord> batch, List<AlsoCommitted> alsoCommitted) {
        return write(batch, alsoCommitted, null);
    }

    /**
     * As {@link #write(List, List)}, with the batch already made ready by {@link #prepare} (on another thread, while
     * the previous batch was written); a {@code prepared} batch of other records, or null, is made ready here.
     */
    public WriteResult write(List<CanonicalRecord> batch, List<AlsoCommitted> alsoCommitted, PreparedBatch prepared) {
        List<AlsoCommitted> also = alsoCommitted == null ? List.of() : alsoCommitted;
        if (batch.isEmpty() && also.isEmpty()) {
            return WriteResult.empty();
        }
        PreparedBatch ready = prepared != null && prepared.records == batch ? prepared : prepare(batch);
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                return writeOnce(ready.tables, ready.childChanges, now, also);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isConflict(e)) {
                    throw new WarehouseException("Writing " + batch.size() + " records failed", e);
                }
                backOff(attempt);
            }
        }
    }

    /**
     * Makes a batch ready to write, outside any transaction: its tables and columns created, its rows deduplicated,
     * sorted, and their values converted to their columns' types. All CPU but the DDL; a pull does it for the next page
     * while its writer writes the previous one.
     */
    public PreparedBatch prepare(List<CanonicalRecord> batch) {
        List<CanonicalRecord> parents = new ArrayList<>(batch.size());
        List<CanonicalRecord> childRowChanges = new ArrayList<>();
        for (CanonicalRecord record : batch) {
            TableSpec spec = specs.get(record.collection());
            (spec != null && spec.isChild() ? childRowChanges : parents).add(record);
        }
        return new PreparedBatch(batch, prepareTables(BatchDeduplicator.dedupe(parents)),
                prepareChildRowChanges(childRowChanges));
    }

    /** A batch made ready by {@link #prepare}: what {@link #write(List, List, PreparedBatch)} sends. */
    public static final class PreparedBatch {
        private final List<CanonicalRecord> records;
        private final List<TableBatch> tables;
        private final List<ChildRowChange> childChanges;

        private PreparedBatch(List<CanonicalRecord> records, List<TableBatch> tables,
                              List<ChildRowChange> childChanges) {
            this.records = records;
            this.tables = tables;
            this.childChanges = childChanges;
        }
    }

    /** Id to {@code _source_updated_at} (null when unknown) of the rows that exist, deleted ones included. */
    public Map<String, Long> storedVersions(String table, Collection<String> ids) {
        return storedVersions(table, ids, null);
    }

    /**
     * As {@link #storedVersions(String, Collection)}, but a row written less than {@code settle} after its version
     * reports null (unknown): Intercom's {@code updated_at} counts seconds, so a change made in the same second
     * after the row was read carries the same version, and only a row stored well after its version proves that
     * an equal version means unchanged.
     */
    public Map<String, Long> storedVersions(String table, Collection<String> ids, Duration settle) {
        Map<String, Long> versions = new HashMap<>();
        TableSpec spec = specFor(table);
        if (ids.isEmpty() || tableManager.columns(spec.name()).isEmpty()) {
            return versions;
        }
        try (Connection connection = dataSource.getConnection()) {
            readVersions(connection, spec, List.copyOf(ids), false, settle, versions);
        } catch (SQLException e) {
            throw new WarehouseException("Reading versions of " + table + " failed", e);
        }
        return versions;
    }

    /**
     * Marks {@code _deleted} the rows not written since {@code runStartedAt} (for a full refresh: the rows that
     * vanished from the source) and sets their {@code _synced_at} to now. Returns how many.
     */
    public int markVanished(String table, Instant runStartedAt) {
        if (tableManager.columns(table).isEmpty()) {
            return 0;
        }
        String sql = "UPDATE " + tableManager.qualified(table) + " SET " + q(DELETED) + " = true, " + q(SYNCED_AT)
                + " = ? WHERE " + q(SYNCED_AT) + " < ? AND " + q(DELETED) + " = false";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            dialect.bindTimestamp(statement, 1, clock.instant());
            dialect.bindTimestamp(statement, 2, runStartedAt);
            int marked = statement.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return marked;
        } catch (SQLException e) {
            throw new WarehouseException("Marking vanished rows of " + table + " failed", e);
        }
    }

    /** Rows not marked deleted; 0 when the table does not exist yet. */
    public long count(String table) {
        return count(table, " WHERE " + q(DELETED) + " = false");
    }

    /** All rows, deleted ones included; 0 when the table does not exist yet. */
    public long countAll(String table) {
        return count(table, "");
    }

    private long count(String table, String where) {
        if (tableManager.columns(table).isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM " + tableManager.qualified(table) + where);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new WarehouseException("Counting " + table + " failed", e);
        }
    }

    // ---- preparation, outside the transaction: DDL must not run inside it -------------------------------------

    /**
     * A record with its column values (sanitized names, values converted to the columns' types), the statement
     * columns they make, and its child rows, likewise.
     */
    private record PreparedRecord(CanonicalRecord record, PreparedRow row, Map<String, List<PreparedRow>> children) {
        String id() {
            return record.id();
        }

        Object[] cells() {
            return row.cells();
        }
    }

    /**
     * One row's statement columns and its values in their order, converted to the columns' types; a metadata
     * column's cell is null (its value comes from the record when bound).
     */
    private record PreparedRow(Object[] cells, List<Column> columns) {
    }

    /**
     * Converts the values to the table's column types (the columns exist now) into the cells of the statement
     * columns, with the shape of the table's previous row when the row names the same columns in the same order, as
     * rows of one collection mostly do: no sorting, and no lookup by name for each value here or when it is bound.
     */
    private PreparedRow prepared(String table, Map<String, Object> values, Map<String, RowShape> lastShapes) {
        Map<String, ColumnType> types = tableManager.columns(table);
        RowShape shape = lastShapes.get(table);
        Object[] cells = shape != null && shape.types() == types ? shape.cells(values) : null;
        if (cells == null) {
            shape = RowShape.of(values, types);
            lastShapes.put(table, shape);
            cells = shape.cells(values);
        }
        return new PreparedRow(cells, shape.columns());
    }

    /**
     * The statement columns of rows whose names come in one order ({@code names}), and where each name's value goes
     * among them ({@code positions}, -1 for a name the table has no column for, or a metadata column's).
     */
    private record RowShape(Map<String, ColumnType> types, String[] names, int[] positions, List<Column> columns) {

        static RowShape of(Map<String, Object> values, Map<String, ColumnType> types) {
            List<Column> columns = statementColumns(values, types);
            Map<String, Integer> positionOf = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                positionOf.put(columns.get(i).name(), i);
            }
            String[] names = values.keySet().toArray(String[]::new);
            int[] positions = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                Integer position = MetadataColumns.isMetadata(names[i]) ? null : positionOf.get(names[i]);
                positions[i] = position == null ? -1 : position;
            }
            return new RowShape(types, names, positions, columns);
        }

        /** The row's cells, or null when its names are not this shape's, in this order. */
        Object[] cells(Map<String, Object> values) {
            if (values.size() != names.length) {
                return null;
            }
            Object[] cells = new Object[columns.size()];
            int i = 0;
            for (Map.Entry<String, Object> value : values.entrySet()) {
                if (!names[i].equals(value.getKey())) {
                    return null;
                }
                if (positions[i] >= 0) {
                    cells[positions[i]] = ColumnValues.convert(value.getValue(), columns.get(positions[i]).type());
                }
                i++;
            }
            return cells;
        }
    }

    private record TableBatch(TableSpec spec, List<PreparedRecord> records) {
    }

    private List<TableBatch> prepareTables(Map<String, Map<String, CanonicalRecord>> byTable) {
        List<TableBatch> tables = new ArrayList<>();
        byTable.forEach((collection, records) -> {
            TableSpec spec = specFor(collection);
            tableManager.ensureTable(spec);
            String key = spec.keyColumns().get(0);
            Map<String, Object> sample = new LinkedHashMap<>();
            Map<String, Map<String, Object>> childSamples = new TreeMap<>();
            List<Map<String, Object>> rows = new ArrayList<>(records.size());
            List<Map<String, List<Map<String, Object>>>> childRows = new ArrayList<>(records.size());
            for (CanonicalRecord record : records.values()) {
                // a delete writes the columns its row names too (e.g. a contact's archived flag), nothing else
                Map<String, Object> values = sanitizedRow(record.row());
                values.put(key, record.id());
                addToSample(sample, values);
                rows.add(values);
                childRows.add(record.op() == Operation.DELETE ? Map.of() : prepareChildren(record, childSamples));
            }
            tableManager.ensureColumns(spec.name(), sample);
            childSamples.forEach(tableManager::ensureColumns);
            List<PreparedRecord> prepared = new ArrayList<>(records.size());
            Map<String, RowShape> lastShapes = new HashMap<>();
            int i = 0;
            for (CanonicalRecord record : records.values()) {
                Map<String, List<PreparedRow>> children = new TreeMap<>();
                childRows.get(i).forEach((child, values) -> children.put(child,
                        values.stream().map(row -> prepared(child, row, lastShapes)).toList()));
                prepared.add(new PreparedRecord(record, prepared(spec.name(), rows.get(i), lastShapes), children));
                i++;
            }
            // Rows are written in id order, so two writers lock shared rows in the same order.
            prepared.sort(Comparator.comparing(PreparedRecord::id));
            tables.add(new TableBatch(spec, prepared));
        });
        return tables;
    }

    /** One child row to upsert or delete on its own; {@code key} is table, parent id, id. */
    private record ChildRowChange(TableSpec spec, List<String> key, CanonicalRecord record, PreparedRow row) {
    }

    private List<ChildRowChange> prepareChildRowChanges(List<CanonicalRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        record Change(TableSpec spec, List<String> key, CanonicalRecord record, Map<String, Object> values) {
        }
        Map<List<String>, Change> byKey = new TreeMap<>(Comparator.comparing(Object::toString));
        Map<String, Map<String, Object>> samples = new LinkedHashMap<>();
        for (CanonicalRecord record : records) {
            TableSpec spec = specs.get(record.collection());
            tableManager.ensureTable(spec);
            Map<String, Object> values = sanitizedRow(record.row());
            values.put(spec.keyColumns().get(1), record.id());
            Object parentId = values.get(spec.parentKey());
            if (parentId == null) {
                throw new IllegalArgumentException("Child row " + record.id() + " of " + spec.name() + " lacks its "
                        + spec.parentKey());
            }
            List<String> key = List.of(spec.name(), parentId.toString(), record.id());
            Change change = new Change(spec, key, record, values);
            // the newest change of a row wins, the later one on a tie (as for whole records)
            byKey.merge(key, change, (kept, incoming) ->
                    BatchDeduplicator.replaces(kept.record().sourceUpdatedAt(), incoming.record().sourceUpdatedAt())
                            ? incoming : kept);
            if (record.op() == Operation.UPSERT) {
                addToSample(samples.computeIfAbsent(spec.name(), name -> new LinkedHashMap<>()), values);
            }
        }
        samples.forEach(tableManager::ensureColumns);
        List<ChildRowChange> changes = new ArrayList<>(byKey.size());
        Map<String, RowShape> lastShapes = new HashMap<>();
        // a delete binds its key only
        byKey.values().forEach(change -> changes.add(new ChildRowChange(change.spec(), change.key(), change.record(),
                change.record().op() == Operation.UPSERT ? prepared(change.spec().name(), change.values(), lastShapes)
                        : null)));
        return changes;
    }

    private Map<String, List<Map<String, Object>>> prepareChildren(CanonicalRecord parent,
                                                                   Map<String, Map<String, Object>> childSamples) {
        Map<String, List<Map<String, Object>>> children = new TreeMap<>();
        parent.children().forEach((childTable, rows) -> {
            TableSpec spec = childSpecFor(childTable);
            tableManager.ensureTable(spec);
            Map<List<Object>, Map<String, Object>> byKey = new LinkedHashMap<>();
            for (Map<String, Object> row : rows == null ? List.<Map<String, Object>>of() : rows) {
                Map<String, Object> values = sanitizedRow(row);
                values.put(spec.parentKey(), parent.id());
                List<Object> key = new ArrayList<>(spec.keyColumns().size());
                for (String column : spec.keyColumns()) {
                    key.add(values.get(column));
                }
                if (key.contains(null)) {
                    throw new IllegalArgumentException("Child row of " + parent.collection() + " " + parent.id()
                            + " in " + childTable + " lacks a key column " + spec.keyColumns() + ": " + row);
                }
                byKey.put(key, values); // a repeated key would break the insert; the last one wins
            }
            children.put(spec.name(), new ArrayList<>(byKey.values()));
            byKey.values().forEach(values -> addToSample(childSamples.computeIfAbsent(spec.name(),
                    name -> new LinkedHashMap<>()), values));
        });
        return children;
    }

    /** Data names become safe identifiers; if two names sanitize alike, the first non-null value is kept. */
    private static Map<String, Object> sanitizedRow(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>(row.size() * 2);
        // putIfAbsent also replaces a null: one lookup a column
        row.forEach((name, value) -> values.putIfAbsent(Identifiers.sanitize(name), value));
        return values;
    }

    private static void addToSample(Map<String, Object> sample, Map<String, Object> values) {
        values.forEach((column, value) -> {
            if (value != null && sample.get(column) == null) {
                sample.put(column, value);
            }
        });
    }

    private TableSpec specFor(String collection) {
        TableSpec spec = specs.get(collection);
        if (spec != null) {
            return spec;
        }
        // A collection without a spec still lands somewhere sensible: keyed by id, columns added as seen.
        String name = Identifiers.sanitize(collection);
        return specs.getOrDefault(name, new TableSpec(name, List.of("id"), Map.of("id", ColumnType.TEXT), null));
    }

    private TableSpec childSpecFor(String childTable) {
        TableSpec spec = specs.get(childTable);
        if (spec == null || !spec.isChild()) {
            throw new IllegalArgumentException("No child table spec (with a parent key) for " + childTable);
        }
        return spec;
    }

    // ---- the transaction --------------------------------------------------------------------------------------

    private WriteResult writeOnce(List<TableBatch> tables, List<ChildRowChange> childChanges, Instant now,
                                  List<AlsoCommitted> also) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                WriteResult.Builder result = new WriteResult.Builder();
                for (TableBatch table : tables) {
                    writeTable(connection, table, now, result);
                }
                for (ChildRowChange change : childChanges) {
                    writeChildRow(connection, change, now, result);
                }
                if (!also.isEmpty()) {
                    // the connection, not closed by the template: its statements join this transaction
                    JdbcTemplate transaction = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
                    also.forEach(work -> work.write(transaction));
                }
                connection.commit();
                return result.build();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private void writeTable(Connection connection, TableBatch batch, Instant now, WriteResult.Builder result)
            throws SQLException {
        TableSpec spec = batch.spec();
        // The parents whose stored child rows are replaced: those that existed before this transaction.
        Set<String> existed = new HashSet<>();
        List<PreparedRecord> winners;
        if (dialect.arrayStatements()) {
            // PostgreSQL: the conditional upsert decides the winners itself, on each row's latest version under its
            // row lock, and RETURNING names them (and which it inserted): no locking read first. The rows are in id
            // order (prepare), so two writers of the same rows still lock them in the same order.
            Set<String> written = new HashSet<>();
            upsertByColumns(connection, spec, batch.records(), now, written, existed);
            winners = batch.records().stream().filter(record -> written.contains(record.id())).toList();
        } else {
            Map<String, Long> stored = new HashMap<>();
            readVersions(connection, spec, batch.records().stream().map(PreparedRecord::id).toList(), true, null,
                    stored);
            winners = new ArrayList<>(batch.records().size());
            for (PreparedRecord record : batch.records()) {
                if (!stored.containsKey(record.id())
                        || BatchDeduplicator.replaces(stored.get(record.id()), record.record().sourceUpdatedAt())) {
                    winners.add(record);
                }
            }
            // A parent absent at lock time has none (InnoDB's lock read also locks absent keys); elsewhere all of them.
            for (PreparedRecord winner : winners) {
                if (!dialect.lockCoversAbsentKeys() || stored.containsKey(winner.id())) {
                    existed.add(winner.id());
                }
            }
            upsertByColumns(connection, spec, winners, now, null, existed);
        }
        int deletes = (int) winners.stream().filter(w -> w.record().op() == Operation.DELETE).count();
        result.add(spec.name(), new WriteResult.TableCounts(winners.size() - deletes,
                batch.records().size() - winners.size(), deletes, 0));
        replaceChildren(connection, winners, existed, now, result);
    }

    /** The records as conditional upserts, one statement (or one per chunk) per set of columns they carry. */
    private void upsertByColumns(Connection connection, TableSpec spec, List<PreparedRecord> records, Instant now,
                                 Set<String> written, Set<String> existed) throws SQLException {
        Map<List<Column>, List<PreparedRecord>> byColumns = new LinkedHashMap<>();
        for (PreparedRecord record : records) {
            byColumns.computeIfAbsent(record.row().columns(), columns -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<List<Column>, List<PreparedRecord>> group : byColumns.entrySet()) {
            upsert(connection, spec, group.getKey(), group.getValue(), now, written, existed);
        }
    }

    /** Single-row statements: webhooks change few child rows at a time, and none is counted on for exactness. */
    private void writeChildRow(Connection connection, ChildRowChange change, Instant now, WriteResult.Builder result)
            throws SQLException {
        TableSpec spec = change.spec();
        String table = tableManager.qualified(spec.name());
        Map<String, ColumnType> types = tableManager.columns(spec.name());
        CanonicalRecord record = change.record();
        if (record.op() == Operation.DELETE) {
            String parent = spec.keyColumns().get(0);
            String id = spec.keyColumns().get(1);
            Long version = record.sourceUpdatedAt();
            String sql = "DELETE FROM " + table + " WHERE " + q(parent) + " = ? AND " + q(id) + " = ?"
                    + (version == null ? "" : " AND (" + q(SOURCE_UPDATED_AT) + " IS NULL OR "
                    + q(SOURCE_UPDATED_AT) + " <= ?)");
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                ColumnType parentType = types.getOrDefault(parent, ColumnType.TEXT);
                ColumnType idType = types.getOrDefault(id, ColumnType.TEXT);
                dialect.bind(statement, 1, parentType, ColumnValues.convert(change.key().get(1), parentType));
                dialect.bind(statement, 2, idType, ColumnValues.convert(change.key().get(2), idType));
                if (version != null) {
                    statement.setLong(3, version);
                }
                result.add(spec.name(), new WriteResult.TableCounts(0, 0, statement.executeUpdate(), 0));
            }
            return;
        }
        List<Column> columns = change.row().columns();
        String sql = cached("upsert|" + table + "|1|" + columns, () ->
                dialect.conditionalUpsert(table, spec.keyColumns(), columns, 1));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindRow(statement, 1, columns, change.row().cells(), record, now);
            statement.executeUpdate();
            result.add(spec.name(), new WriteResult.TableCounts(0, 0, 0, 1));
        }
    }

    /** Locked reads put absent keys under InnoDB gap locks too, so a concurrent insert of them waits for us. */
    private void readVersions(Connection connection, TableSpec spec, List<String> ids, boolean lock,
                              Duration settle, Map<String, Long> into) throws SQLException {
        String key = spec.keyColumns().get(0);
        ColumnType keyType = tableManager.columns(spec.name()).getOrDefault(key, ColumnType.TEXT);
        String table = tableManager.qualified(spec.name());
        boolean arrays = dialect.arrayStatements();
        for (List<String> chunk : chunks(ids, arrays ? MAX_ROWS_PER_ARRAY : MAX_ROWS_PER_STATEMENT)) {
            String sql = cached((lock ? "lock|" : "read|") + table + "|" + (arrays ? "array" : chunk.size()), () ->
                    arrays ? dialect.selectVersionsOfArray(table, key, keyType, lock)
                    : lock ? dialect.lockVersions(table, key, chunk.size())
                    : dialect.selectVersions(table, key, chunk.size()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (arrays) {
                    Object[] keys = new Object[chunk.size()];
                    for (int i = 0; i < keys.length; i++) {
                        keys[i] = ColumnValues.convert(chunk.get(i), keyType);
                    }
                    dialect.bindArray(statement, 1, keyType, keys);
                } else {
                    for (int i = 0; i < chunk.size(); i++) {
                        dialect.bind(statement, i + 1, keyType, ColumnValues.convert(chunk.get(i), keyType));
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long version = rows.getLong(2);
                        Long stored = rows.wasNull() ? null : version;
                        if (stored != null && settle != null) {
                            Instant synced = dialect.readTimestamp(rows, 3);
                            if (synced == null || synced.getEpochSecond() - stored < settle.toSeconds()) {
                                stored = null;
                            }
                        }
                        into.put(rows.getString(1), stored);
                    }
                }
            }
        }
    }

    /**
     * PostgreSQL ({@code written} not null): adds to {@code written} the rows the upsert inserted or updated (a row
     * whose stored version is newer is left alone and not named), and to {@code existed} those it updated. Other
     * databases: the rows are the winners of the lock read, and a short update count means another writer inserted
     * one of them since, which starts the transaction over.
     */
    private void upsert(Connection connection, TableSpec spec, List<Column> columns, List<PreparedRecord> records,
                        Instant now, Set<String> written, Set<String> existed) throws SQLException {
        String table = tableManager.qualified(spec.name());
        if (dialect.arrayStatements()) {
            for (List<PreparedRecord> chunk : chunks(records, MAX_ROWS_PER_ARRAY)) {
                String sql = cached("array-upsert|" + table + "|returning|" + columns, () ->
                        dialect.arrayUpsert(table, spec.keyColumns(), columns, true));
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bindArrays(statement, columns, chunk, PreparedRecord::cells, PreparedRecord::record, now);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            written.add(rows.getString(1));
                            if (!rows.getBoolean(2)) {
                                existed.add(rows.getString(1));
                            }
                        }
                    }
                }
            }
            return;
        }
        for (List<PreparedRecord> chunk : chunks(records, rowsPerStatement(columns))) {
            String sql = cached("upsert|" + table + "|" + chunk.size() + "|" + columns, () ->
                    dialect.conditionalUpsert(table, spec.keyColumns(), columns, chunk.size()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                for (PreparedRecord record : chunk) {
                    index = bindRow(statement, index, columns, record.cells(), record.record(), now);
                }
                int count = statement.executeUpdate();
                if (dialect.upsertCountIsExact() && count != chunk.size()) {
                    // A row absent at lock time was inserted meanwhile by another writer with a newer version:
                    // this batch's picture of the winners is stale. Start over; the rows exist and lock now.
                    throw new SQLException("Concurrent insert into " + table + ": " + count + " of "
                            + chunk.size() + " rows written", "40001");
                }
            }
        }
    }

    /**
     * Writes the winners' child rows: the stored ones of the parents that {@code existed} are deleted first, then
     * every row goes in as a conditional upsert on the child key (a child row a webhook wrote before its parent was
     * first stored is replaced by the parent's version of it, unless newer).
     */
    private void replaceChildren(Connection connection, List<PreparedRecord> winners, Set<String> existed,
                                 Instant now, WriteResult.Builder result) throws SQLException {
        Map<String, List<PreparedRecord>> parentsByChild = new TreeMap<>();
        for (PreparedRecord winner : winners) {
            winner.children().keySet().forEach(child ->
                    parentsByChild.computeIfAbsent(child, name -> new ArrayList<>()).add(winner));
        }
        for (Map.Entry<String, List<PreparedRecord>> entry : parentsByChild.entrySet()) {
            TableSpec spec = childSpecFor(entry.getKey());
            List<PreparedRecord> parents = entry.getValue();
            List<String> replaced = parents.stream().map(PreparedRecord::id).filter(existed::contains).toList();
            if (!replaced.isEmpty()) {
                deleteChildren(connection, spec, replaced);
            }
            int inserted = insertChildren(connection, spec, parents, now);
            result.add(spec.name(), new WriteResult.TableCounts(0, 0, 0, inserted));
        }
    }

    /**
     * One {@code DELETE .. WHERE parent = ?} per parent, sent as one JDBC batch. An {@code IN (..)} list of a whole
     * page's parents looks, to a planner without statistics yet (a table filling up during its first sync), like
     * most of the table, and turns every page's delete into a full scan.
     */
    private void deleteChildren(Connection connection, TableSpec spec, List<String> parentIds) throws SQLException {
        String table = tableManager.qualified(spec.name());
        ColumnType keyType = tableManager.columns(spec.name()).getOrDefault(spec.parentKey(), ColumnType.TEXT);
        String sql = cached("children|" + table, () -> "DELETE FROM " + table + " WHERE " + q(spec.parentKey()) + " = ?");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (String parentId : parentIds) {
                dialect.bind(statement, 1, keyType, ColumnValues.convert(parentId, keyType));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private int insertChildren(Connection connection, TableSpec spec, List<PreparedRecord> parents, Instant now)
            throws SQLException {
        String table = tableManager.qualified(spec.name());
        int inserted = 0;
        for (Map.Entry<List<Column>, List<ChildRow>> group : childRowsByColumns(spec, parents).entrySet()) {
            inserted += insertChildGroup(connection, spec, table, group.getKey(), group.getValue(), now);
        }
        return inserted;
    }

    private record ChildRow(Object[] cells, CanonicalRecord parent) {
    }

    /**
     * The parents' rows of a child table, grouped by their statement columns. Its own method, apart from the
     * statements: a hot loop is compiled on its own (on-stack replacement) with everything it calls inlined, and the
     * statements' whole JDBC path made each such compilation of one method cost the JIT half a second (2026-12-03).
     */
    private static Map<List<Column>, List<ChildRow>> childRowsByColumns(TableSpec spec, List<PreparedRecord> parents) {
        Map<List<Column>, List<ChildRow>> byColumns = new LinkedHashMap<>();
        for (PreparedRecord parent : parents) {
            for (PreparedRow row : parent.children().get(spec.name())) {
                byColumns.computeIfAbsent(row.columns(), columns -> new ArrayList<>())
                        .add(new ChildRow(row.cells(), parent.record()));
            }
        }
        return byColumns;
    }

    private int insertChildGroup(Connection connection, TableSpec spec, String table, List<Column> columns,
                                 List<ChildRow> rows, Instant now) throws SQLException {
        int inserted = 0;
        if (dialect.arrayStatements()) {
            String sql = cached("array-upsert|" + table + "|" + columns, () ->
                    dialect.arrayUpsert(table, spec.keyColumns(), columns, false));
            for (List<ChildRow> chunk : chunks(rows, MAX_ROWS_PER_ARRAY)) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bindArrays(statement, columns, chunk, ChildRow::cells, ChildRow::parent, now);
                    statement.executeUpdate();
                    inserted += chunk.size();
                }
            }
            return inserted;
        }
        for (List<ChildRow> chunk : chunks(rows, rowsPerStatement(columns))) {
            String sql = cached("child-upsert|" + table + "|" + chunk.size() + "|" + columns, () ->
                    dialect.conditionalUpsert(table, spec.keyColumns(), columns, chunk.size()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                for (ChildRow row : chunk) {
                    index = bindRow(statement, index, columns, row.cells(), row.parent(), now);
                }
                statement.executeUpdate();
                inserted += chunk.size();
            }
        }
        return inserted;
    }

    /** The record's columns that the table has, sorted (rows with the same set share a statement), then metadata. */
    private static List<Column> statementColumns(Map<String, Object> values, Map<String, ColumnType> types) {
        List<Column> columns = new ArrayList<>(values.size() + MetadataColumns.TYPES.size());
        for (String name : values.keySet()) {
            ColumnType type = types.get(name);
            if (type != null && !MetadataColumns.isMetadata(name)) {
                columns.add(new Column(name, type));
            }
        }
        columns.sort(Comparator.comparing(Column::name));
        MetadataColumns.TYPES.forEach((name, type) -> columns.add(new Column(name, type)));
        return columns;
    }

    private int bindRow(PreparedStatement statement, int index, List<Column> columns, Object[] cells,
                        CanonicalRecord record, Instant now) throws SQLException {
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            Object value = MetadataColumns.isMetadata(column.name()) ? metadataValue(column, record, now) : cells[c];
            dialect.bind(statement, index++, column.type(), value);
        }
        return index;
    }

    /** Binds the rows as one array per column. */
    private <R> void bindArrays(PreparedStatement statement, List<Column> columns, List<R> rows,
                                Function<R, Object[]> cells, Function<R, CanonicalRecord> record,
                                Instant now) throws SQLException {
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            boolean metadata = MetadataColumns.isMetadata(column.name());
            Object[] array = new Object[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                R row = rows.get(r);
                array[r] = metadata ? metadataValue(column, record.apply(row), now) : cells.apply(row)[c];
            }
            dialect.bindArray(statement, c + 1, column.type(), array);
        }
    }

    private static Object metadataValue(Column column, CanonicalRecord record, Instant now) {
        return switch (column.name()) {
            case SYNCED_AT -> now;
            case SOURCE -> record.source() == null ? null : record.source().columnValue();
            case SOURCE_UPDATED_AT -> record.sourceUpdatedAt();
            case DELETED -> record.op() == Operation.DELETE;
            default -> throw new IllegalArgumentException("Not a metadata column: " + column.name());
        };
    }

    private int rowsPerStatement(List<Column> columns) {
        return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / columns.size()));
    }

    private String cached(String key, java.util.function.Supplier<String> sql) {
        return statementCache.computeIfAbsent(key, k -> sql.get());
    }

    private String q(String identifier) {
        return dialect.quote(identifier);
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        if (items.size() <= size) {
            return List.of(items);
        }
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    /**
     * Deadlocks and serialization failures (SQLSTATE class 40), a duplicate key from a concurrent insert, H2's
     * lock timeout and concurrent update: all clear up when the transaction runs again.
     */
    private static boolean isConflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("40") || state.equals("23505") || state.equals("HYT00"))) {
                    return true;
                }
                if (sql.getErrorCode() == 1062 || sql.getErrorCode() == 1213 || sql.getErrorCode() == 90131) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(CONFLICT_BACKOFF.jittered(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("Interrupted while retrying a write", e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
