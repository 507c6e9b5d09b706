package org.intercomhub.inbox;

import org.intercomhub.jdbc.MultiRowInsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Commits the inbox rows of concurrent requests together: one transaction and one commit for the rows of every
 * request waiting, instead of one per request, since the commit (the database's flush to disk) is what a request
 * costs. A request thread hands its rows to {@link #store} and is released only once they are committed (or failed),
 * so its answer still comes after its own commit. One writer thread per inbox takes whatever queued while the previous
 * commit ran, up to {@code maxBatchRows}: under light load a group is one request and waits for nothing.
 *
 * <p>Each row has a key (the table's primary or unique key). A key already stored, or earlier in the same group, is
 * left out and reported as not new, so a redelivery is stored once. Failures: a unique-key conflict with another
 * instance inserting the same key at the same moment, a lock conflict (or a wait for a lock that timed out), or a row
 * the table refuses makes the group fall back to one transaction per request (each checked again), so only the
 * requests concerned fail; any other database
 * failure (unreachable, table not writable) fails every request of the group, and none of their rows is stored.
 *
 * @param <R> a row, made by the request thread (so the writer thread only talks to the database)
 */
public final class GroupCommit<R> implements AutoCloseable {

    /**
     * How rows go into one inbox table.
     *
     * @param name      the table (schema-qualified)
     * @param keyColumn its unique column
     * @param insertInto {@code INSERT INTO <table> (<columns>)}
     * @param valuesRow  one row's {@code VALUES} tuple, repeated for each row of a statement
     * @param key        a row's value of the key column
     * @param values     a row's parameters of the tuple
     */
    public record Table<R>(String name, String keyColumn, String insertInto, String valuesRow,
                           Function<R, String> key, Function<R, Object[]> values) {
    }

    private record Request<R>(List<R> rows, CompletableFuture<List<R>> stored) {
    }

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Keys looked up per query: well under every database's limit of bind parameters. */
    private static final int KEYS_PER_QUERY = 500;
    private static final long POLL_MILLIS = 100;
    /**
     * Tries of a request alone beyond one per row, each after a pause: H2 can report a key that another transaction
     * inserted and has not committed yet as a duplicate at once (PostgreSQL and MariaDB wait for that transaction), so
     * a try may find nothing new stored (CI saw a request fail so, in GroupCommitH2Test's two-instance test).
     */
    private static final int EXTRA_TRIES = 5;
    private static final long CONFLICT_PAUSE_MILLIS = 10;

    private final Table<R> table;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final BlockingQueue<Request<R>> queue;
    private final int maxBatchRows;
    private final MultiRowInsert multiRowInsert;
    /** Held (shared) while a request enters the queue, (exclusively) to close it: nothing enters after close. */
    private final ReadWriteLock entry = new ReentrantReadWriteLock();
    private final Thread writer;
    private volatile boolean closed;

    public GroupCommit(String name, JdbcTemplate jdbc, Table<R> table, InboxProperties settings) {
        this.table = table;
        this.multiRowInsert = new MultiRowInsert(table.insertInto(), table.valuesRow());
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.maxBatchRows = settings.maxBatchRows();
        // a daemon, so an inbox made outside the application context never holds the JVM; close() drains it
        this.writer = new Thread(this::run, name + "-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Returns once the rows are committed, with those that were new (in their order); rows whose key is already
     * stored are left out. All or none of a request's rows are stored. A database failure is thrown as the
     * {@link DataAccessException} it was; a full queue waits for room.
     */
    public List<R> store(List<R> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Request<R> request = new Request<>(rows, new CompletableFuture<>());
        enqueue(request);
        try {
            return request.stored().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void enqueue(Request<R> request) {
        boolean interrupted = false;
        try {
            while (true) {
                entry.readLock().lock();
                try {
                    if (closed) {
                        throw new DataAccessResourceFailureException("the inbox is closed: the hub is shutting down");
                    }
                    if (queue.offer(request, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } finally {
                    entry.readLock().unlock();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Requests waiting for their commit (not counting the group being committed). */
    public int waiting() {
        return queue.size();
    }

    /** Takes no more requests, commits those already queued, and returns once they are answered. */
    @Override
    public void close() {
        entry.writeLock().lock();
        try {
            closed = true;
        } finally {
            entry.writeLock().unlock();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Request<R>> group = new ArrayList<>();
        while (true) {
            Request<R> first;
            try {
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            group.add(first);
            int rows = first.rows().size();
            // what queued meanwhile joins, as long as the group stays within maxBatchRows (this thread alone takes)
            for (Request<R> next = queue.peek(); next != null && rows + next.rows().size() <= maxBatchRows;
                 next = queue.peek()) {
                group.add(queue.poll());
                rows += next.rows().size();
            }
            try {
                commit(group);
            } catch (Throwable e) {
                // never leave a request waiting, whatever happened, and keep serving the next ones
                log.error("Inbox commit on {} failed unexpectedly", table.name(), e);
                group.forEach(request -> request.stored().completeExceptionally(e));
            }
            group.clear();
        }
    }

    private void commit(List<Request<R>> group) {
        if (group.size() == 1) {
            alone(group.get(0));
            return;
        }
        List<List<R>> stored;
        try {
            stored = transactions.execute(status -> write(group));
        } catch (RuntimeException e) {
            if (!conflict(e)) {
                group.forEach(request -> request.stored().completeExceptionally(e));
                return;
            }
            // another instance stored one of these keys meanwhile, or the table refused a row: each request alone
            log.debug("Inbox group of {} requests on {} fell back to one transaction each: {}", group.size(),
                    table.name(), NestedExceptionUtils.getMostSpecificCause(e).toString());
            group.forEach(this::alone);
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).stored().complete(stored.get(i));
        }
    }

    /**
     * One request in its own transaction. A conflict means another transaction (another instance) stored one of its
     * keys meanwhile, which the next try sees as stored once that transaction committed: tried again, once more per
     * row and a few times more, after a pause that grows.
     */
    private void alone(Request<R> request) {
        for (int attempt = 0; ; attempt++) {
            try {
                request.stored().complete(writeAlone(request));
                return;
            } catch (RuntimeException e) {
                if (!conflict(e)) {
                    request.stored().completeExceptionally(e);
                    return;
                }
                if (attempt < request.rows().size() + EXTRA_TRIES) {
                    pause(attempt);
                    continue;
                }
                if (e instanceof DuplicateKeyException && request.rows().size() == 1) {
                    // a single row whose key the database holds under another spelling (a case-insensitive collation)
                    request.stored().complete(List.of());
                } else {
                    request.stored().completeExceptionally(e);
                }
                return;
            }
        }
    }

    /**
     * A failure another transaction caused, which a later try in a transaction of its own may not meet: a key stored
     * meanwhile, a row refused (then it fails again, alone), a lock conflict, or a wait for a row another transaction
     * inserted and had not committed yet that outlasted the lock timeout (H2 waits two seconds by default and reports
     * it as a timeout; CI saw a group of GroupCommitH2Test's two-instance test fail so). No inbox statement has a
     * query timeout of its own, so a timeout here is a lock's.
     */
    private static boolean conflict(RuntimeException e) {
        return e instanceof DataIntegrityViolationException || e instanceof ConcurrencyFailureException
                || e instanceof QueryTimeoutException;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(CONFLICT_PAUSE_MILLIS * (attempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<R> writeAlone(Request<R> request) {
        return transactions.execute(status -> write(List.of(request))).get(0);
    }

    /** In the transaction: leaves out the keys already stored or earlier in the group, inserts the rest in order. */
    private List<List<R>> write(List<Request<R>> group) {
        Set<String> known = existing(group);
        List<Object[]> inserts = new ArrayList<>();
        List<List<R>> stored = new ArrayList<>(group.size());
        for (Request<R> request : group) {
            List<R> fresh = new ArrayList<>(request.rows().size());
            for (R row : request.rows()) {
                if (known.add(table.key().apply(row))) {
                    fresh.add(row);
                    inserts.add(table.values().apply(row));
                }
            }
            stored.add(fresh);
        }
        // multi-row INSERTs in order, so an identity column numbers the rows as they came
        multiRowInsert.insert(jdbc, inserts);
        return stored;
    }

    private Set<String> existing(List<Request<R>> group) {
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(group.stream()
                .flatMap(request -> request.rows().stream()).map(table.key()).toList()));
        Set<String> known = new HashSet<>();
        // lists of the group's own length: padded to a few fixed lengths, one look-up took 76 ms in a run where the
        // inbox's statistics were those of its empty start (most likely a plan made then and reused for every group)
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            known.addAll(jdbc.queryForList("SELECT " + table.keyColumn() + " FROM " + table.name() + " WHERE "
                    + table.keyColumn() + " IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")",
                    String.class, chunk.toArray()));
        }
        return known;
    }
}
