package org.intercomhub.jdbc;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows inserted as a few multi-row {@code INSERT ... VALUES (..), (..)} statements, in order: one statement per row
 * costs the database a parse, a plan and an execution each (PostgreSQL, MariaDB and H2 all take the multi-row form).
 * A list of any length is statements of a few fixed shapes ({@value #LARGEST} rows, then 16, 4, 1), so prepared
 * statements are reused.
 */
public final class MultiRowInsert {

    private static final int LARGEST = 64;
    /** Rows per INSERT, largest first (64 rows of eight columns: 512 parameters, well under every limit). */
    private static final int[] STATEMENT_SIZES = {LARGEST, 16, 4, 1};

    private final String insertInto;
    private final String valuesRow;
    private final Map<Integer, String> statements = new ConcurrentHashMap<>();

    /**
     * @param insertInto {@code INSERT INTO t (a, b, c)}
     * @param valuesRow  one row's placeholders, {@code (?, ?, ?)}
     */
    public MultiRowInsert(String insertInto, String valuesRow) {
        this.insertInto = insertInto;
        this.valuesRow = valuesRow;
    }

    /** Inserts {@code rows} (each one row's values, in column order) in their order. */
    public void insert(JdbcTemplate jdbc, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); ) {
            int size = statementSize(rows.size() - from);
            List<Object> values = new ArrayList<>(size * rows.get(from).length);
            rows.subList(from, from + size).forEach(row -> values.addAll(List.of(row)));
            jdbc.update(statement(size), values.toArray());
            from += size;
        }
    }

    /** The largest of {@link #STATEMENT_SIZES} that fits in what is left. */
    private static int statementSize(int left) {
        for (int size : STATEMENT_SIZES) {
            if (size <= left) {
                return size;
            }
        }
        return 1;
    }

    private String statement(int rows) {
        return statements.computeIfAbsent(rows, n -> insertInto + " VALUES " + String.join(", ", Collections.nCopies(n,
                valuesRow)));
    }
}
