package org.intercomhub.push;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data sources push models are read from: {@code warehouse} (WAREHOUSE_URL) and each one under
 * {@code push.sources}. Their own small read-only pools with auto-commit off: PostgreSQL streams a result in pages
 * of {@link #FETCH_SIZE} rows only inside a transaction (with auto-commit on it reads the whole result into memory),
 * and the model is then read while its rows are written, without holding a connection of the warehouse's pool.
 * Bound into Camel's registry as {@code push-source-<name>}, which the route's {@code jdbc:} endpoint names.
 */
public class PushSources implements AutoCloseable {

    public static final String BEAN_PREFIX = "push-source-";
    public static final int FETCH_SIZE = 500;

    private final Map<String, HikariDataSource> sources = new TreeMap<>();

    public PushSources(Map<String, PushProperties.Source> configured) {
        configured.forEach((name, source) -> {
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName(BEAN_PREFIX + name);
            pool.setJdbcUrl(source.url());
            pool.setUsername(source.user());
            pool.setPassword(source.password());
            pool.setAutoCommit(false);
            pool.setReadOnly(true);
            pool.setMaximumPoolSize(2);
            pool.setMinimumIdle(0);
            pool.setInitializationFailTimeout(-1); // connect on first use: a source that is down fails its syncs only
            sources.put(name, pool);
        });
    }

    public Map<String, ? extends DataSource> all() {
        return sources;
    }

    public DataSource get(String name) {
        DataSource source = sources.get(name);
        if (source == null) {
            throw new IllegalStateException("no push source named " + name + " (push.sources." + name + ".url)");
        }
        return source;
    }

    @Override
    public void close() {
        sources.values().forEach(HikariDataSource::close);
    }
}
