package org.intercomhub;

import org.intercomhub.sandbox.SandboxServer;

import java.util.Map;

/**
 * The world of one end-to-end suite on one database: the sandbox it pulls from, its own schema (and the
 * {@code _hub} bookkeeping schema beside it) and the app's settings pointing at both. Made before the suite's
 * application context by {@link ItSuiteContextCustomizerFactory}, available to the tests as a bean, and torn down
 * (sandbox closed, schemas dropped) when the context closes.
 *
 * @param database   the database server the suite runs against
 * @param sandbox    the suite's own Intercom sandbox
 * @param schema     the suite's warehouse schema
 * @param properties every setting the suite's app runs with (also for a second app started on the same schema)
 */
public record ItSuite(ItDatabase database, SandboxServer sandbox, String schema, Map<String, Object> properties)
        implements AutoCloseable {

    /** What a contract needs for its suites: the sandbox to start, and the settings on a database. */
    public interface Setup {
        SandboxServer startSandbox();

        Map<String, Object> properties(SandboxServer sandbox, ItDatabase database, String schema);
    }

    static ItSuite start(ItDatabase database, Setup setup, String schemaPrefix) {
        SandboxServer sandbox = setup.startSandbox();
        String schema = ItDatabase.uniqueSchema(schemaPrefix);
        return new ItSuite(database, sandbox, schema, Map.copyOf(setup.properties(sandbox, database, schema)));
    }

    @Override
    public void close() {
        sandbox.close();
        try {
            database.dropSchemas(schema);
        } catch (Exception e) {
            throw new IllegalStateException("could not drop the suite's schemas " + schema, e);
        }
    }
}
