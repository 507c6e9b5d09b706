package org.intercomhub;

import org.intercomhub.pull.PullCatalog;
import org.intercomhub.sandbox.SandboxServer;

import java.util.HashMap;
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

    /** A cron that does not fire while a test runs: runs are started by the tests. */
    public static final String NEVER = "0 0 3 1 1 ?";

    /**
     * The settings every suite starts from: the app pointed at the sandbox and at its schemas on the database, fast
     * Intercom retries, no run at start-up and no scheduled one.
     */
    public static Map<String, Object> baseProperties(SandboxServer sandbox, ItDatabase database, String schema) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("intercom.base-url", sandbox.baseUrl());
        properties.put("intercom.access-token", sandbox.config().accessToken());
        properties.put("intercom.initial-backoff", "20ms");
        properties.put("intercom.max-backoff", "200ms");
        properties.put("warehouse.url", database.url);
        properties.put("warehouse.user", database.user);
        properties.put("warehouse.password", "");
        properties.put("warehouse.schema", schema);
        properties.put("warehouse.bookkeeping-schema", schema + "_hub");
        properties.put("sync.run-on-startup", "false");
        // a failed run stays failed until asked again: the suites count requests and runs around their failures
        // (FailedRunRetriesTest shows the retries)
        properties.put("sync.retry-failed-runs", "0");
        properties.put("server.port", "0");
        for (String collection : new PullCatalog().names()) {
            properties.put("sync.collections." + collection + ".cron", NEVER);
        }
        return properties;
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
